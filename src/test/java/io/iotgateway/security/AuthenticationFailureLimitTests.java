package io.iotgateway.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AuthenticationFailureLimitTests {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private final AuthenticationFailureLimit limit = new AuthenticationFailureLimit(
            new GatewaySecurityProperties.FailureLimit(3, Duration.ofSeconds(10), 1000), this.nanos::get);

    @Test
    void anAddressIsRefusedOnceItReachesTheLimitUntilItsWindowEnds() {
        this.limit.failed("10.0.0.1");
        this.limit.failed("10.0.0.1");
        assertThat(this.limit.refusedFor("10.0.0.1")).isZero();

        advance(Duration.ofSeconds(4));
        this.limit.failed("10.0.0.1");

        // the window started at the first failure, 4 s ago
        assertThat(this.limit.refusedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(6));
        assertThat(this.limit.refusedFor("10.0.0.2")).isZero();
        advance(Duration.ofSeconds(6));
        assertThat(this.limit.refusedFor("10.0.0.1")).isZero();
    }

    @Test
    void reachingTheLimitIsLoggedOncePerWindow(CapturedOutput output) {
        for (int i = 0; i < 10; i++) {
            this.limit.failed("10.0.0.3");
        }
        advance(Duration.ofSeconds(11));
        for (int i = 0; i < 3; i++) {
            this.limit.failed("10.0.0.3");
        }

        assertThat(output.getAll().split("Too many failed authentications from 10.0.0.3", -1)).hasSize(3);
    }

    @Test
    void countsAtMostMaxAddressesAtOnce() {
        AuthenticationFailureLimit small = new AuthenticationFailureLimit(
                new GatewaySecurityProperties.FailureLimit(1, Duration.ofSeconds(10), 100), this.nanos::get);
        for (int i = 0; i < 10_000; i++) {
            small.failed("10.1." + (i / 256) + "." + (i % 256));
        }

        long refused = 0;
        for (int i = 0; i < 10_000; i++) {
            refused += small.refusedFor("10.1." + (i / 256) + "." + (i % 256)).isPositive() ? 1 : 0;
        }
        assertThat(refused).isPositive().isLessThanOrEqualTo(100);
    }

    private void advance(Duration duration) {
        this.nanos.addAndGet(duration.toNanos());
    }
}
