package io.iotgateway.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One device's recent connection attempts, for the platform's limit of 5 per device and minute (a sliding
 * minute: no minute ever sees more).
 */
final class ConnectAttempts {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Deque<Instant> attempts = new ArrayDeque<>();

    /** How long until one more attempt fits within {@code max} per minute; zero when it fits now. */
    synchronized Duration waitBeforeNext(Instant now, int max) {
        Instant windowStart = now.minus(WINDOW);
        while (!this.attempts.isEmpty() && !this.attempts.peekFirst().isAfter(windowStart)) {
            this.attempts.removeFirst();
        }
        return (this.attempts.size() < max) ? Duration.ZERO : Duration.between(windowStart, this.attempts.peekFirst());
    }

    synchronized void record(Instant now) {
        this.attempts.addLast(now);
    }
}
