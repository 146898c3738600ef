package io.iotgateway.mqtt;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.transport.DeviceLogin;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;

/**
 * The request side of one device: publishes over its {@link DeviceConnection}'s login through Spring Integration's
 * handler, at most {@code max-inflight} at a time (Paho would fail the excess at once), and watches the PUBACKs.
 * A PUBACK that does not come while nothing at all arrived on the connection means the connection is dead although
 * no socket error says so (a black-hole partition); so do {@value #TIMEOUTS_BEFORE_RECONNECT} PUBACK timeouts in a
 * row. The connection then drops the login and logs in again.
 */
final class DeviceSender {

    static final int TIMEOUTS_BEFORE_RECONNECT = 3;

    private final DeviceConnection connection;

    // Spring Integration's handler: publishes over the login the factory gives it
    private final Consumer<Message<?>> handler;

    private final MqttProperties settings;

    private final Clock clock;

    private final LongSupplier nanoTime;

    private final Semaphore inflight;

    private final AtomicInteger consecutiveTimeouts = new AtomicInteger();

    // the login the timeouts were counted on
    private volatile @Nullable DeviceLogin timedOutLogin;

    private volatile boolean retired;

    private volatile Instant lastUsedAt;

    DeviceSender(DeviceConnection connection, Consumer<Message<?>> handler, MqttProperties settings, Clock clock,
            LongSupplier nanoTime) {
        this.connection = connection;
        this.handler = handler;
        this.settings = settings;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.inflight = new Semaphore(settings.maxInflight());
        this.lastUsedAt = clock.instant();
    }

    /**
     * Publishes as the device, logging it in first if it may.
     * @return {@code false} when the connection was retired (idle) before the message could use it: nothing was
     * sent and the caller should take a fresh connection from the pool
     */
    boolean publish(String topic, byte[] payload, int qos) {
        Message<byte[]> message = MessageBuilder.withPayload(payload)
            .setHeader(MqttHeaders.TOPIC, topic)
            .setHeader(MqttHeaders.QOS, qos)
            .build();
        if (!acquireInflight()) {
            throw new GatewayException(ProblemType.DEVICE_BUSY, "Device " + device() + " already has "
                    + this.settings.maxInflight() + " messages waiting for the platform's acknowledgement.")
                .retryAfter(DeviceConnection.RETRY_SOON);
        }
        try {
            if (this.retired) {
                return false;
            }
            this.lastUsedAt = this.clock.instant();
            send(this.connection.loginForRequest(), message);
            return true;
        }
        finally {
            this.inflight.release();
        }
    }

    private void send(DeviceLogin up, Message<byte[]> message) {
        long sentAt = this.nanoTime.getAsLong();
        try {
            this.handler.accept(message);
        }
        catch (RuntimeException ex) {
            GatewayFailure failure = GatewayFailure.ofPublish(ex);
            this.connection.history().error(this.clock.instant(), failure.problemType(), failure.detail());
            if (failure.problemType() == ProblemType.PLATFORM_TIMEOUT) {
                timedOut(up, sentAt);
            }
            throw failure.toException(device(), DeviceConnection.RETRY_SOON, ex);
        }
        this.consecutiveTimeouts.set(0);
        this.connection.history().published(this.clock.instant());
    }

    private void timedOut(DeviceLogin up, long sentAt) {
        if (this.timedOutLogin != up) {
            this.timedOutLogin = up;
            this.consecutiveTimeouts.set(0);
        }
        boolean silent = up.lastInboundNanos() - sentAt <= 0;
        int inARow = this.consecutiveTimeouts.incrementAndGet();
        if (silent || inARow >= TIMEOUTS_BEFORE_RECONNECT) {
            this.connection.abandon(up, silent ? "nothing arrived from the IoT Platform for "
                    + this.settings.completionTimeout().toMillis() + " ms while a PUBACK was awaited"
                    : inARow + " PUBACKs in a row did not come in time");
        }
    }

    /** A subscription for a request about to publish counts as use. */
    void markUsed() {
        this.lastUsedAt = this.clock.instant();
    }

    Instant lastUsedAt() {
        return this.lastUsedAt;
    }

    boolean retired() {
        return this.retired;
    }

    /**
     * Marks the connection retired when no message used it since {@code cutoff} and none is in flight. The caller
     * then removes it from the pool, closes it and calls {@link #releaseRetired()}, so that requests that
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

    private DeviceId device() {
        return this.connection.device();
    }

    private boolean acquireInflight() {
        try {
            return this.inflight.tryAcquire(this.settings.completionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
