package io.iotgateway.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.outbound.MqttPahoMessageHandler;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;

/**
 * One device's outbound adapter and what the gateway knows about its connection. Publishes go through the
 * adapter on the caller's thread. Only one thread at a time may open the connection, and it does so only when the
 * device is out of back-off and within the platform's connects-per-minute limit, so that a broken device costs
 * its callers a fast, honest answer instead of a hammering reconnect loop.
 */
final class DeviceConnection {

    private static final Log log = LogFactory.getLog(DeviceConnection.class);

    // a broker outage drops every connection within milliseconds; after this long, devices still connected mean
    // the broker is alive and this one connection was closed on purpose: another login of the device kicked it
    private static final Duration LOSS_SETTLE = Duration.ofSeconds(1);

    private final DeviceId device;

    private final MqttPahoMessageHandler handler;

    private final SignedClientFactory clients;

    private final MqttProperties settings;

    private final Clock clock;

    private final Semaphore inflight;

    private final ReentrantLock connectLock = new ReentrantLock();

    private final ConnectAttempts connectAttempts;

    private final BooleanSupplier othersConnected;

    private final ConnectionMetrics metrics;

    private final ConnectRateLimiter connectRate;

    private volatile @Nullable Instant lostAt;

    private volatile boolean retired;

    private volatile Instant lastUsedAt;

    private int kicks;

    private volatile ConnectionState state = ConnectionState.IDLE;

    private volatile @Nullable ProblemType lastProblem;

    private volatile @Nullable String lastError;

    private volatile @Nullable Instant lastErrorAt;

    private volatile @Nullable Instant lastConnectedAt;

    private volatile @Nullable Instant lastPublishedAt;

    // back-off after a failed connect: until when, and what to answer meanwhile
    private volatile @Nullable Instant retryAt;

    private volatile @Nullable GatewayFailure backoffFailure;

    private int consecutiveFailures;

    DeviceConnection(DeviceId device, MqttPahoMessageHandler handler, SignedClientFactory clients,
            MqttProperties settings, Clock clock, BooleanSupplier othersConnected, ConnectionMetrics metrics,
            ConnectRateLimiter connectRate, ConnectAttempts connectAttempts) {
        this.connectAttempts = connectAttempts;
        this.device = device;
        this.metrics = metrics;
        this.connectRate = connectRate;
        this.othersConnected = othersConnected;
        this.handler = handler;
        this.clients = clients;
        this.settings = settings;
        this.clock = clock;
        this.inflight = new Semaphore(settings.maxInflight());
        this.lastUsedAt = clock.instant();
    }

    DeviceId device() {
        return this.device;
    }

    ConnectionState state() {
        return this.state;
    }

    /** Disconnects (waiting at most the disconnect timeout) and releases the adapter; it is not used again. */
    void close() {
        try {
            this.handler.stop();
        }
        finally {
            this.handler.destroy();
        }
    }

    ConnectionStatus status() {
        return new ConnectionStatus(this.device, this.state, this.lastProblem, this.lastError, this.lastErrorAt, this.lastConnectedAt,
                this.lastPublishedAt, this.retryAt);
    }

    /**
     * Publishes through this connection.
     * @return {@code false} when the connection was retired (idle) before the message could use it: nothing was
     * sent and the caller should take a fresh connection from the pool
     */
    boolean publish(String topic, byte[] payload, int qos) {
        Message<byte[]> message = MessageBuilder.withPayload(payload)
            .setHeader(MqttHeaders.TOPIC, topic)
            .setHeader(MqttHeaders.QOS, qos)
            .build();
        // bounds concurrent publishes to what the connection may have unacknowledged (Paho fails the excess at once)
        if (!tryAcquire(this.inflight)) {
            throw new GatewayException(ProblemType.DEVICE_BUSY, "Device " + this.device + " already has "
                    + this.settings.maxInflight() + " messages waiting for the platform's acknowledgement.")
                .retryAfter(Duration.ofSeconds(1));
        }
        try {
            if (this.retired) {
                return false;
            }
            this.lastUsedAt = this.clock.instant();
            if (this.state == ConnectionState.CONNECTED) {
                send(message, false);
            }
            else {
                connectAndSend(message);
            }
            return true;
        }
        finally {
            this.inflight.release();
        }
    }

    /**
     * Marks the connection retired when no message used it since {@code cutoff} and none is in flight. The caller
     * then removes it from the pool, destroys it and calls {@link #releaseRetired()}, so that requests that
     * waited for it take a fresh connection instead of failing.
     */
    boolean retireIfIdleSince(Instant cutoff) {
        if (this.lastUsedAt.isAfter(cutoff) || !this.inflight.tryAcquire(this.settings.maxInflight())) {
            return false;
        }
        if (this.lastUsedAt.isAfter(cutoff)) {
            this.inflight.release(this.settings.maxInflight());
            return false;
        }
        this.retired = true;
        return true;
    }

    void releaseRetired() {
        this.inflight.release(this.settings.maxInflight());
    }

    private void connectAndSend(Message<byte[]> message) {
        if (!tryLock(this.connectLock)) {
            throw new GatewayException(ProblemType.DEVICE_BUSY,
                    "Device " + this.device + " is still connecting to the IoT Platform.")
                .retryAfter(Duration.ofSeconds(1));
        }
        try {
            if (this.state == ConnectionState.CONNECTED) {
                send(message, false);
                return;
            }
            classifyLoss();
            Instant now = this.clock.instant();
            failFastWhileBackingOff(now);
            reserveConnectAttempt(now);
            this.state = ConnectionState.CONNECTING;
            send(message, true);
        }
        finally {
            this.connectLock.unlock();
        }
    }

    private void send(Message<byte[]> message, boolean connecting) {
        try {
            this.handler.handleMessage(message);
        }
        catch (RuntimeException ex) {
            GatewayFailure failure = GatewayFailure.of(ex);
            if (failure.duringConnect()) {
                throw connectFailed(failure, ex);
            }
            if (connecting) {
                onConnected();
            }
            if (failure.connectionGone()) {
                this.state = ConnectionState.DISCONNECTED;
            }
            recordError(failure.problemType(), failure.detail());
            throw failure.toException(this.device, Duration.ofSeconds(1), ex);
        }
        if (connecting) {
            onConnected();
        }
        this.lastPublishedAt = this.clock.instant();
    }

    /**
     * Opens the connection ahead of the first message, if the device is not connected yet and within its connect
     * limit; does nothing otherwise (the first message connects then, as without warm-up). The caller has taken a
     * place in the gateway-wide connect rate.
     */
    void warmUp(String url) {
        if (this.state != ConnectionState.IDLE || !this.connectLock.tryLock()) {
            return;
        }
        try {
            if (this.state != ConnectionState.IDLE) {
                return;
            }
            reserveConnectAttempt(this.clock.instant(), true);
            this.state = ConnectionState.CONNECTING;
            try {
                this.clients.preconnect(url, this.settings.completionTimeout().toMillis());
                onConnected();
            }
            catch (MqttException ex) {
                connectFailed(GatewayFailure.ofConnect(ex), ex);
            }
        }
        catch (GatewayException ex) {
            log.debug("Warm-up of device " + this.device + " skipped: " + ex.getMessage());
        }
        finally {
            this.connectLock.unlock();
        }
    }

    Instant lastUsedAt() {
        return this.lastUsedAt;
    }

    private void onConnected() {
        this.metrics.connectAttempt(null);
        this.state = ConnectionState.CONNECTED;
        this.lastConnectedAt = this.clock.instant();
        this.retryAt = null;
        this.backoffFailure = null;
        this.consecutiveFailures = 0;
        // debug: with thousands of devices a line per connect would drown the log (the warm-up sums them up)
        log.debug("Device " + this.device + " connected to the IoT Platform");
    }

    private GatewayException connectFailed(GatewayFailure failure, @Nullable Throwable cause) {
        this.metrics.connectAttempt(failure.problemType());
        if (failure.problemType() == ProblemType.PLATFORM_TIMEOUT) {
            this.clients.abortPendingConnect();
        }
        Instant now = this.clock.instant();
        Duration backoff;
        if (failure.problemType() == ProblemType.CREDENTIALS_REJECTED) {
            backoff = this.settings.credentialsRejectedBackoff();
        }
        else {
            this.consecutiveFailures++;
            backoff = exponentialBackoff(this.consecutiveFailures);
        }
        this.state = ConnectionState.FAILED;
        this.retryAt = now.plus(backoff);
        this.backoffFailure = failure;
        recordError(failure.problemType(), failure.detail());
        log.warn("Device " + this.device + " could not connect: " + failure.detail() + "; next attempt in "
                + backoff.toMillis() + " ms");
        return failure.toException(this.device, backoff, cause);
    }

    private Duration exponentialBackoff(int failures) {
        long initial = this.settings.reconnectBackoff().toMillis();
        long max = this.settings.reconnectBackoffMax().toMillis();
        long exponential = initial << Math.min(failures - 1, 20);
        long capped = Math.min(max, exponential);
        // +-20% jitter so devices that failed together do not retry together
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }

    private void failFastWhileBackingOff(Instant now) {
        Instant until = this.retryAt;
        GatewayFailure failure = this.backoffFailure;
        if (until != null && failure != null && now.isBefore(until)) {
            throw failure.toException(this.device, Duration.between(now, until));
        }
    }

    private void reserveConnectAttempt(Instant now) {
        reserveConnectAttempt(now, false);
    }

    /** @param gatewayRateTaken the caller already waited for room in the gateway-wide connect rate (warm-up) */
    private void reserveConnectAttempt(Instant now, boolean gatewayRateTaken) {
        Duration deviceWait = this.connectAttempts.waitBeforeNext(now, this.settings.maxConnectsPerMinute());
        if (!deviceWait.isZero()) {
            throw new GatewayException(ProblemType.CONNECT_LIMITED, "Device " + this.device + " already tried to "
                    + "connect " + this.settings.maxConnectsPerMinute() + " times in the last minute; the IoT Platform "
                    + "allows " + this.settings.maxConnectsPerMinute() + ".")
                .retryAfter(deviceWait)
                .with("device", this.device.toString());
        }
        Duration gatewayWait = gatewayRateTaken ? Duration.ZERO : this.connectRate.tryAcquire();
        if (!gatewayWait.isZero()) {
            throw new GatewayException(ProblemType.CONNECT_LIMITED, "The gateway is opening "
                    + this.settings.maxConnectsPerSecond() + " connections per second already (the platform allows "
                    + "500 per account); device " + this.device + " connects in a moment.")
                .retryAfter(gatewayWait);
        }
        this.connectAttempts.record(now);
    }

    /**
     * The adapter lost its connection: the broker went away, or another client logged in as the device and the
     * platform closed this one. Which of the two is decided before the next login (see {@link #classifyLoss()}).
     */
    void connectionLost(@Nullable Throwable cause) {
        if (this.state != ConnectionState.CONNECTED) {
            return;
        }
        this.lostAt = this.clock.instant();
        this.state = ConnectionState.DISCONNECTED;
        String reason = (cause != null) ? ": " + GatewayFailure.describe(cause) : "";
        recordError(ProblemType.PLATFORM_UNAVAILABLE, "Connection lost" + reason);
        log.warn("Device " + this.device + " lost its connection: " + this.lastError);
    }

    /**
     * Before logging in again after a loss: if other devices are still connected once a broker outage would have
     * shown, the broker is alive and the loss was a kick. Then the device pauses instead of logging in and kicking
     * the other client back. With no other device connected a kick cannot be told from an outage; the platform's
     * connects-per-minute limit then bounds the ping-pong.
     */
    private void classifyLoss() {
        Instant lost = this.lostAt;
        if (lost == null || this.state != ConnectionState.DISCONNECTED) {
            return;
        }
        this.lostAt = null;
        long settle = Duration.between(this.clock.instant(), lost.plus(LOSS_SETTLE)).toMillis();
        if (settle > 0) {
            try {
                Thread.sleep(settle);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (this.othersConnected.getAsBoolean()) {
            kicked(this.clock.instant());
        }
    }

    private synchronized void kicked(Instant now) {
        Instant connectedAt = this.lastConnectedAt;
        if (connectedAt != null && connectedAt.isBefore(now.minus(this.settings.kickBackoffMax()))) {
            this.kicks = 0;
        }
        this.kicks++;
        this.metrics.kicked();
        long pause = Math.min(this.settings.kickBackoffMax().toMillis(),
                this.settings.kickBackoff().toMillis() << Math.min(this.kicks - 1, 20));
        GatewayFailure failure = new GatewayFailure(ProblemType.DEVICE_KICKED, "Another client logged in as this "
                + "device and the IoT Platform closed the gateway's connection (the platform allows one connection "
                + "per device). The gateway stays away for " + (pause / 1000) + " s so that the two do not keep "
                + "kicking each other; stop the other client or give it a device of its own.", true, true);
        this.state = ConnectionState.FAILED;
        this.retryAt = now.plusMillis(pause);
        this.backoffFailure = failure;
        recordError(failure.problemType(), failure.detail());
        log.warn("Device " + this.device + " was kicked: another client logged in as it (kick " + this.kicks
                + "); pausing it for " + pause + " ms");
    }

    int kicks() {
        return this.kicks;
    }

    private void recordError(ProblemType problem, String error) {
        this.lastProblem = problem;
        this.lastError = error;
        this.lastErrorAt = this.clock.instant();
    }

    private boolean tryAcquire(Semaphore semaphore) {
        try {
            return semaphore.tryAcquire(this.settings.completionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean tryLock(ReentrantLock lock) {
        try {
            // a connect takes at most the completion timeout, so a waiter gets its turn within about twice that
            return lock.tryLock(this.settings.completionTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
