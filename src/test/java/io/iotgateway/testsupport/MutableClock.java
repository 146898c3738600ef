package io.iotgateway.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for unit tests that moves only when told: its instant and its monotonic nanoseconds (the stand-in for
 * {@link System#nanoTime()}) advance together.
 */
public final class MutableClock extends Clock {

    private Instant now = Instant.parse("2026-12-03T10:00:00Z");

    private long nanos = 1_000_000_000L;

    public void advance(Duration duration) {
        this.now = this.now.plus(duration);
        this.nanos += duration.toNanos();
    }

    /** Monotonic nanoseconds, for code that measures intervals with {@link System#nanoTime()}. */
    public long nanos() {
        return this.nanos;
    }

    @Override
    public Instant instant() {
        return this.now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
