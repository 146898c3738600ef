package io.iotgateway.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DeviceRateLimiterTests {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static final DeviceId SHEEP = new DeviceId("a61QmwQD5ZF", "mosheep");

    private static final DeviceId GOAT = new DeviceId("a61QmwQD5ZF", "mogoat");

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final DeviceRateLimiter limiter = new DeviceRateLimiter(new MessageRateProperties(10, 30), this.meters,
            this.now::get);

    @Test
    void tenQos1MessagesPassAndTheEleventhGets429WithRetryAfter() {
        for (int i = 0; i < 10; i++) {
            this.limiter.acquire(SHEEP, 1);
        }
        this.now.addAndGet(SECOND * 3 / 10);

        GatewayException refused = refused(SHEEP, 1);

        assertThat(refused.problemType()).isEqualTo(ProblemType.RATE_LIMITED);
        assertThat(refused.getStatusCode().value()).isEqualTo(429);
        // the oldest slot frees 0.7 s from now: whole seconds, rounded up
        assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(refused.getBody().getProperties()).containsEntry("device", SHEEP.toString());
        assertThat(this.meters.counter("gateway.publish.rate.limited", "qos", "1").count()).isEqualTo(1);
    }

    @Test
    void aSlotFreesOnlyAfterAWholeSecondHasPassed() {
        for (int i = 0; i < 10; i++) {
            this.limiter.acquire(SHEEP, 1);
        }
        this.now.addAndGet(SECOND);
        refused(SHEEP, 1);

        this.now.addAndGet(1);
        this.limiter.acquire(SHEEP, 1);
    }

    @Test
    void qos0HasItsOwnLimitAndDevicesTheirOwnWindows() {
        for (int i = 0; i < 10; i++) {
            this.limiter.acquire(SHEEP, 1);
        }
        for (int i = 0; i < 30; i++) {
            this.limiter.acquire(SHEEP, 0);
        }
        refused(SHEEP, 0);
        for (int i = 0; i < 10; i++) {
            this.limiter.acquire(GOAT, 1);
        }
    }

    @Test
    void noOneSecondWindowEverHoldsMoreThanTheLimitAndNoRefusalIsNeedless() {
        Random random = new Random(4711);
        List<Long> accepted = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            // bursts and pauses: mostly microseconds apart, sometimes a few hundred milliseconds
            this.now.addAndGet(random.nextInt(10) == 0 ? random.nextLong(SECOND / 2) : random.nextLong(SECOND / 50));
            try {
                this.limiter.acquire(SHEEP, 1);
                accepted.add(this.now.get());
            }
            catch (GatewayException refused) {
                // refused only when the last second really holds 10 already
                long t = this.now.get();
                assertThat(accepted.stream().filter(a -> t - a <= SECOND).count()).isEqualTo(10);
            }
        }
        for (int i = 10; i < accepted.size(); i++) {
            assertThat(accepted.get(i) - accepted.get(i - 10)).as("11 messages within one second")
                .isGreaterThan(SECOND);
        }
        assertThat(accepted.size()).isGreaterThan(1000);
    }

    @Test
    void logsOfIdleDevicesAreDropped() {
        for (int i = 0; i < 5000; i++) {
            this.limiter.acquire(new DeviceId("a61QmwQD5ZF", "sheep" + i), i % 2);
        }
        this.now.addAndGet(2 * SECOND);
        for (int i = 0; i < 4096; i++) {
            this.limiter.acquire(SHEEP, 0);
            this.now.addAndGet(SECOND);
        }

        assertThat(this.limiter.trackedLogs()).isLessThan(10);
    }

    private GatewayException refused(DeviceId device, int qos) {
        return assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> this.limiter.acquire(device, qos))
            .actual();
    }
}
