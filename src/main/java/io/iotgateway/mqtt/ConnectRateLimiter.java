package io.iotgateway.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The gateway-wide limit on connection attempts: at most N in any one-second window (the platform allows 500
 * connect requests per second per account, shared with every other client of the account). A sliding log rather
 * than a token bucket, so that no window ever sees more than N.
 */
final class ConnectRateLimiter {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final Clock clock;

    private final int perSecond;

    private final Deque<Instant> attempts = new ArrayDeque<>();

    ConnectRateLimiter(Clock clock, int perSecond) {
        this.clock = clock;
        this.perSecond = perSecond;
    }

    /** Takes one attempt if the window has room; otherwise says how long until it has. */
    synchronized Duration tryAcquire() {
        Instant now = this.clock.instant();
        Instant windowStart = now.minus(WINDOW);
        while (!this.attempts.isEmpty() && !this.attempts.peekFirst().isAfter(windowStart)) {
            this.attempts.removeFirst();
        }
        if (this.attempts.size() >= this.perSecond) {
            return Duration.between(windowStart, this.attempts.peekFirst());
        }
        this.attempts.addLast(now);
        return Duration.ZERO;
    }

    /** Waits for room in the window and takes an attempt; for background work such as the warm-up. */
    void acquire() throws InterruptedException {
        Duration wait;
        while (!(wait = tryAcquire()).isZero()) {
            Thread.sleep(Math.max(1, wait.toMillis()));
        }
    }
}
