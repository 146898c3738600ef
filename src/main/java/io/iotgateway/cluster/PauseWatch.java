package io.iotgateway.cluster;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Notices that this process stood still (SIGSTOP, a long GC pause, a frozen VM) for half the failure timeout or
 * more. The others may have removed this member and taken its devices meanwhile, while its own view of the cluster
 * still says it owns them; requests queued during the pause would then log devices in and kick the new owners. So
 * for twice the failure timeout after a pause, or until a member joins (the merge back into the cluster), this
 * replica counts as cut off. A ticker thread records the time every quarter second; a pause shows as a gap, seen by
 * whichever thread asks first after it, the ticker or a request.
 */
final class PauseWatch {

    private static final Log log = LogFactory.getLog(PauseWatch.class);

    private static final long TICK_MILLIS = 250;

    private final long pauseNanos;

    private final long holdNanos;

    private final Thread ticker;

    private volatile long lastTick = System.nanoTime();

    private volatile long cutOffUntil;

    private volatile boolean cutOff;

    PauseWatch(Duration failureTimeout) {
        this.pauseNanos = failureTimeout.toNanos() / 2;
        this.holdNanos = failureTimeout.toNanos() * 2;
        this.ticker = Thread.ofPlatform().daemon().name("cluster-pause-watch").start(this::tickUntilStopped);
    }

    private void tickUntilStopped() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(TICK_MILLIS);
                long now = System.nanoTime();
                long gap = now - this.lastTick;
                if (gap > this.pauseNanos) {
                    this.cutOffUntil = now + this.holdNanos;
                    this.cutOff = true;
                    log.warn("This replica stood still for " + Duration.ofNanos(gap).toMillis() + " ms; it connects no "
                            + "device for " + Duration.ofNanos(this.holdNanos).toSeconds() + " s or until it has "
                            + "rejoined the cluster, since the others may have taken its devices over meanwhile");
                }
                this.lastTick = now;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the process stood still recently (or right now, before the ticker has run again). */
    boolean pausedRecently() {
        long now = System.nanoTime();
        if (now - this.lastTick > this.pauseNanos) {
            return true;
        }
        return this.cutOff && now < this.cutOffUntil;
    }

    /** A member joined this one's cluster: its view is fresh again. */
    void rejoined() {
        this.cutOff = false;
    }

    void stop() {
        this.ticker.interrupt();
    }
}
