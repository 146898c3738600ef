package io.iotgateway.limit;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * At most N events in <em>any</em> window of a given length: a log of the last N event times on a monotonic clock
 * (nanoseconds, such as {@link System#nanoTime()}). An event exactly one window old still counts, so any closed
 * interval of the window's length holds at most N. A token bucket would let a full burst through right after a
 * full window and so allow up to 2N within one window; the platform's limits (messages per second, connects per
 * minute, connects per second per account) must never be exceeded in any window, whatever its alignment.
 * <p>
 * Thread-safe; callers hold one per limited thing (a device and QoS, a device's connects, the gateway).
 */
public final class SlidingWindow {

    private final int limit;

    private final long windowNanos;

    private final ArrayDeque<Long> times = new ArrayDeque<>();

    public SlidingWindow(int limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    /**
     * Records an event at {@code now} if the window has room.
     * @return 0 when recorded, else the nanoseconds until the window has room
     */
    public synchronized long tryAcquire(long now) {
        long wait = waitNanos(now);
        if (wait == 0) {
            this.times.addLast(now);
        }
        return wait;
    }

    /** The nanoseconds until one more event fits, 0 when it fits now; records nothing. */
    public synchronized long waitNanos(long now) {
        while (!this.times.isEmpty() && now - this.times.peekFirst() > this.windowNanos) {
            this.times.removeFirst();
        }
        return (this.times.size() < this.limit) ? 0 : this.times.peekFirst() + this.windowNanos + 1 - now;
    }

    /** Takes back the event recorded at {@code at}, which turned out not to count (it never reached the platform). */
    public synchronized void refund(long at) {
        this.times.removeLastOccurrence(at);
    }

    /** No event within the last window: the log can be dropped. */
    public synchronized boolean idleAt(long now) {
        return this.times.isEmpty() || now - this.times.peekLast() > this.windowNanos;
    }

    public int limit() {
        return this.limit;
    }
}
