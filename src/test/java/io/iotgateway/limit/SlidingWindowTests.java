package io.iotgateway.limit;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SlidingWindowTests {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final SlidingWindow window = new SlidingWindow(3, Duration.ofSeconds(1));

    @Test
    void takesUpToTheLimitAndSaysHowLongUntilTheOldestLeaves() {
        assertThat(this.window.tryAcquire(0)).isZero();
        assertThat(this.window.tryAcquire(100)).isZero();
        assertThat(this.window.tryAcquire(200)).isZero();

        // the oldest (at 0) counts through 1 s inclusive: room at 1 s + 1 ns
        assertThat(this.window.tryAcquire(500)).isEqualTo(SECOND + 1 - 500);
    }

    @Test
    void anEventExactlyOneWindowOldStillCountsSoNoClosedWindowHoldsMore() {
        this.window.tryAcquire(0);
        this.window.tryAcquire(0);
        this.window.tryAcquire(0);

        assertThat(this.window.tryAcquire(SECOND)).isEqualTo(1);
        assertThat(this.window.tryAcquire(SECOND + 1)).isZero();
    }

    @Test
    void aBurstRightAfterAFullWindowIsNotLetThroughTwice() {
        for (int i = 0; i < 3; i++) {
            this.window.tryAcquire(SECOND - 1);
        }
        // a token bucket refilled at the window's start would take three more here
        assertThat(this.window.tryAcquire(SECOND + 10)).isPositive();
    }

    @Test
    void waitingRecordsNothingAndARefundGivesTheSlotBack() {
        this.window.tryAcquire(0);
        this.window.tryAcquire(10);
        this.window.tryAcquire(20);
        assertThat(this.window.waitNanos(30)).isPositive();

        this.window.refund(20);

        assertThat(this.window.waitNanos(30)).isZero();
        assertThat(this.window.tryAcquire(30)).isZero();
        assertThat(this.window.waitNanos(40)).isPositive();
    }

    @Test
    void idleOnceTheNewestEventLeftTheWindow() {
        this.window.tryAcquire(0);

        assertThat(this.window.idleAt(SECOND)).isFalse();
        assertThat(this.window.idleAt(SECOND + 1)).isTrue();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SlidingWindow(0, Duration.ofSeconds(1)));
    }
}
