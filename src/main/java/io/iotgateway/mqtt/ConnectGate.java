package io.iotgateway.mqtt;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import io.iotgateway.limit.SlidingWindow;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

/**
 * Who may log a device in, and when: one login at a time per device, at most {@code max-connects-per-minute}
 * attempts of the device in any minute (the platform's 5), and at most {@code max-connects-per-second} across the
 * gateway (the platform allows 500 per account). An attempt that never reached the platform (the TCP or TLS
 * connection could not be opened) is refunded: the platform counts CONNECTs, not refused sockets.
 */
final class ConnectGate {

    static final Duration DEVICE_WINDOW = Duration.ofMinutes(1);

    private final ReentrantLock lock = new ReentrantLock();

    private final SlidingWindow deviceAttempts;

    private final SlidingWindow gatewayRate;

    private final LongSupplier nanoTime;

    // the lock holder is the background reconnect, not a request: requests do not wait for it
    private volatile boolean background;

    private long lastAttemptAt;

    ConnectGate(SlidingWindow deviceAttempts, SlidingWindow gatewayRate, LongSupplier nanoTime) {
        this.deviceAttempts = deviceAttempts;
        this.gatewayRate = gatewayRate;
        this.nanoTime = nanoTime;
    }

    /** Waits at most {@code wait} for the device's login turn (a login takes at most the completion timeout). */
    boolean enter(Duration wait) {
        try {
            return this.lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Takes the turn for a background login, if nobody holds it. */
    boolean enterInBackground() {
        if (!this.lock.tryLock()) {
            return false;
        }
        this.background = true;
        return true;
    }

    void leave() {
        this.background = false;
        this.lock.unlock();
    }

    /** A background login holds the turn: a request should not wait for it. */
    boolean backgroundLoginUnderWay() {
        return this.background && this.lock.isLocked();
    }

    /**
     * Takes one attempt from the device's and (unless already taken) the gateway's limit; the turn's holder only.
     * @param gatewayRateTaken the caller already waited for room in the gateway-wide rate (background logins)
     * @return {@code null} when taken, else the refusal with how long to wait
     */
    @Nullable Refusal reserve(boolean gatewayRateTaken) {
        long now = this.nanoTime.getAsLong();
        long deviceWait = this.deviceAttempts.waitNanos(now);
        if (deviceWait > 0) {
            return new Refusal(Duration.ofNanos(deviceWait), "Tried to connect " + this.deviceAttempts.limit()
                    + " times in the last minute already; the IoT Platform allows " + this.deviceAttempts.limit() + ".");
        }
        long gatewayWait = gatewayRateTaken ? 0 : this.gatewayRate.tryAcquire(now);
        if (gatewayWait > 0) {
            return new Refusal(Duration.ofNanos(gatewayWait), "The gateway is opening " + this.gatewayRate.limit()
                    + " connections per second already (the platform allows 500 per account); the device connects in a "
                    + "moment.");
        }
        this.deviceAttempts.tryAcquire(now);
        this.lastAttemptAt = now;
        return null;
    }

    /** No login now: the device or the gateway used its connects; {@code retryAfter} until one fits. */
    record Refusal(Duration retryAfter, String detail) {

        GatewayFailure failure() {
            return new GatewayFailure(ProblemType.CONNECT_LIMITED, this.detail, true);
        }
    }

    /** The last reserved attempt never reached the platform: it does not count against the device's limit. */
    void refundLastAttempt() {
        this.deviceAttempts.refund(this.lastAttemptAt);
    }
}
