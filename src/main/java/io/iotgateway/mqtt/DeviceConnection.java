package io.iotgateway.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.transport.DeviceLogin;
import io.iotgateway.mqtt.transport.DeviceLogin.LoginFailedException;
import io.iotgateway.mqtt.transport.DeviceMqttClient;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * One device's connection to the platform: its current login, Spring Integration's outbound handler that
 * publishes over it, and the rules for losing and regaining it.
 * <ul>
 * <li>The connection logs the device in itself (on a request, or in the background through its
 * {@link Supervisor}); the handler only publishes over a login that is up (see {@link SignedClientFactory}).</li>
 * <li>Every login reports its loss from the moment it exists ({@link DeviceMqttClient}), so the state is what the
 * socket is. A loss is classified {@link #LOSS_SETTLE} later, from timestamps: if another device has stayed
 * connected throughout, the platform is up and closed this connection because another client logged in as the
 * device (a kick): the device then stays away ({@link ReconnectPolicy}). Otherwise it was an outage, and the
 * connection is logged in again in the background, without waiting for a request to find out.</li>
 * <li>A PUBACK that does not come while nothing at all arrives from the platform means the connection is dead
 * even though no socket error says so (a black-hole partition): the login is dropped with a reset and
 * reconnected ({@link DeviceSender}).</li>
 * <li>The device's subscriptions ({@link DeviceSubscriptions}, the pool's, so that they outlive a connection that
 * is replaced) are restored on every new login before the login publishes.</li>
 * <li>Requests never wait for a background login or a back-off: they get a fast, honest 503 or 502 with
 * {@code Retry-After}. They wait (bounded) only for another request's login of an idle device.</li>
 * </ul>
 */
final class DeviceConnection {

    private static final Log log = LogFactory.getLog(DeviceConnection.class);

    // a broker outage drops every connection within milliseconds; after this long, devices still connected mean
    // the broker is alive and this one connection was closed on purpose: another login of the device kicked it
    static final Duration LOSS_SETTLE = Duration.ofSeconds(1);

    static final Duration RETRY_SOON = Duration.ofSeconds(1);

    private final DeviceId device;

    private final DeviceLogin.Factory logins;

    private final MqttProperties settings;

    private final Clock clock;

    private final Supervisor supervisor;

    private final ConnectionMetrics metrics;

    private final ConnectGate gate;

    private final ConnectionHistory history = new ConnectionHistory();

    private final DeviceSender sender;

    private final DeviceSubscriptions subscriptions;

    // guarded by this
    private final ReconnectPolicy policy;

    // the login that is up, if any; changed under this
    private volatile @Nullable DeviceLogin login;

    // while in back-off: what to answer until history.retryAt()
    private volatile @Nullable GatewayFailure backoffFailure;

    private volatile @Nullable Instant lostAt;

    // a background login is due: requests leave the login to it instead of waiting for a platform that is away
    private volatile boolean reconnecting;

    private volatile boolean closed;

    DeviceConnection(DeviceId device, Consumer<Message<?>> handler, DeviceLogin.Factory logins, MqttProperties settings,
            Clock clock, LongSupplier nanoTime, Supervisor supervisor, ConnectionMetrics metrics, ConnectGate gate,
            DeviceSubscriptions subscriptions) {
        this.device = device;
        this.logins = logins;
        this.settings = settings;
        this.clock = clock;
        this.supervisor = supervisor;
        this.metrics = metrics;
        this.gate = gate;
        this.policy = new ReconnectPolicy(settings);
        this.sender = new DeviceSender(this, handler, settings, clock, nanoTime);
        this.subscriptions = subscriptions;
    }

    /** What a device connection asks of the pool that holds it. */
    interface Supervisor {

        /** Calls {@link #classifyLoss()} after {@code delay}. */
        void classifyLossAfter(DeviceConnection connection, Duration delay);

        /**
         * Calls {@link #connectInBackground()} after {@code delay}, within the gateway-wide connect rate.
         * @return {@code false} when the connection is no longer the pool's (closed, replaced, shutting down)
         */
        boolean connectInBackgroundAfter(DeviceConnection connection, Duration delay);

        /** Whether a device other than {@code device} has been connected since before {@code instant} and still is. */
        boolean othersConnectedSince(DeviceId device, Instant instant);

        /**
         * Returns when this gateway may log the device in again for a request; in a cluster throws 503 when another
         * replica owns it now or this one is cut off (see {@link DeviceOwnership#claim}).
         */
        default void claimForLogin(DeviceId device) {
        }
    }

    DeviceId device() {
        return this.device;
    }

    ConnectionState state() {
        return this.history.state();
    }

    @Nullable Instant connectedAt() {
        return this.history.lastConnectedAt();
    }

    ConnectionStatus status() {
        return this.history.snapshot(this.device);
    }

    /** The request side: publishes over this connection's login. */
    DeviceSender sender() {
        return this.sender;
    }

    ConnectionHistory history() {
        return this.history;
    }

    /** Subscribes the device to the filter once; every later login restores it (see {@link DeviceSubscriptions}). */
    <L extends InboundListener> L subscribe(String filter, Class<L> type, Supplier<L> newListener) {
        return this.subscriptions.subscribe(filter, type, newListener, this::loginForRequest);
    }

    /**
     * Retires the connection when nothing used it since {@code cutoff}: no message in flight and none sent since, and
     * no listener of the device waiting for a message (a reply to a request already published).
     */
    boolean retireIfIdleSince(Instant cutoff) {
        return !awaitsMessages() && this.sender.retireIfIdleSince(cutoff);
    }

    /** Whether a listener of the device waits for a message (a reply): the connection is in use, not idle. */
    boolean awaitsMessages() {
        return this.subscriptions.awaitsMessages();
    }

    /** The login that is up, or one opened now on the request's thread; else the fast answer why not. */
    DeviceLogin loginForRequest() {
        DeviceLogin up = this.login;
        if (up != null) {
            return up;
        }
        refuseWhileAway();
        // a login takes at most the completion timeout, so a waiter gets its turn within about twice that
        if (!this.gate.enter(this.settings.completionTimeout().multipliedBy(2))) {
            throw new GatewayException(ProblemType.DEVICE_BUSY,
                    "Device " + this.device + " is still connecting to the IoT Platform.")
                .retryAfter(RETRY_SOON);
        }
        try {
            up = this.login;
            if (up != null) {
                return up;
            }
            refuseWhileAway();
            return logIn(false);
        }
        finally {
            this.gate.leave();
        }
    }

    /** Throws the answer for a device that is reconnecting, backing off or kicked; returns if it may log in now. */
    private void refuseWhileAway() {
        if (this.closed) {
            throw new GatewayException(ProblemType.PLATFORM_UNAVAILABLE, "The device's connection was closed.")
                .retryAfter(RETRY_SOON);
        }
        ConnectionState state = this.history.state();
        if (state == ConnectionState.CONNECTING && this.gate.backgroundLoginUnderWay()
                && this.history.lastConnectedAt() == null) {
            // the first login, ahead of traffic (the warm-up, or a take-over in a cluster): nothing was lost
            throw new GatewayException(ProblemType.DEVICE_BUSY, "Device " + this.device + " is being connected to "
                    + "the IoT Platform ahead of traffic. Nothing was published.")
                .retryAfter(RETRY_SOON)
                .with("device", this.device.toString());
        }
        if (state == ConnectionState.DISCONNECTED
                || (state == ConnectionState.CONNECTING && this.gate.backgroundLoginUnderWay())) {
            throw reconnectingNow();
        }
        Instant until = this.history.retryAt();
        GatewayFailure failure = this.backoffFailure;
        Instant now = this.clock.instant();
        if (state == ConnectionState.FAILED && until != null && failure != null && now.isBefore(until)) {
            throw fastAnswer(failure).toException(this.device, Duration.between(now, until));
        }
        if (this.reconnecting) {
            throw reconnectingNow();
        }
    }

    private GatewayException reconnectingNow() {
        return new GatewayException(ProblemType.PLATFORM_UNAVAILABLE, "Device " + this.device + " lost its "
                + "connection to the IoT Platform; the gateway is connecting it again. Nothing was published.")
            .retryAfter(RETRY_SOON)
            .with("device", this.device.toString());
    }

    /** Leaves the next login to the background, after {@code delay}; requests meanwhile get a fast answer. */
    private void reconnectInBackground(Duration delay) {
        this.reconnecting = this.supervisor.connectInBackgroundAfter(this, delay);
    }

    /** A request refused during a back-off sent nothing: "no answer in time" (504) would say it might have. */
    private static GatewayFailure fastAnswer(GatewayFailure failure) {
        if (failure.problemType() != ProblemType.PLATFORM_TIMEOUT) {
            return failure;
        }
        return new GatewayFailure(ProblemType.PLATFORM_UNAVAILABLE, failure.detail() + " Not published; the gateway "
                + "tries the login again after the back-off.", true);
    }

    /**
     * Logs the device in; the caller holds the gate.
     * @param background a background login, which has its place in the gateway-wide connect rate already
     */
    private DeviceLogin logIn(boolean background) {
        if (!background) {
            // the owner may have changed since this connection was made (the background path asks before it queues)
            this.supervisor.claimForLogin(this.device);
        }
        ConnectGate.Refusal refusal = this.gate.reserve(background);
        if (refusal != null) {
            if (background) {
                backOff(refusal.failure(), refusal.retryAfter());
                reconnectInBackground(refusal.retryAfter());
            }
            throw refusal.failure().toException(this.device, refusal.retryAfter());
        }
        this.history.connecting();
        DeviceLogin up;
        try {
            up = this.logins.login(this::lost, this.subscriptions::dispatch);
        }
        catch (LoginFailedException ex) {
            if (!ex.reachedPlatform()) {
                this.gate.refundLastAttempt();
            }
            throw loginFailed(GatewayFailure.ofConnect(ex.getCause()), ex.getCause());
        }
        catch (GatewayException ex) {
            // the device is no longer registered: no login, and nothing to retry
            Instant now = this.clock.instant();
            this.history.failed(now, ex.problemType(), String.valueOf(ex.getBody().getDetail()), now);
            throw ex;
        }
        // before anything is published over it, so that no reply to a request on this login is missed
        this.subscriptions.restore(up);
        return loggedIn(up);
    }

    private DeviceLogin loggedIn(DeviceLogin up) {
        synchronized (this) {
            if (this.closed) {
                up.release();
                throw new GatewayException(ProblemType.PLATFORM_UNAVAILABLE, "The device's connection was closed.")
                    .retryAfter(RETRY_SOON);
            }
            this.login = up;
            this.lostAt = null;
            this.backoffFailure = null;
            this.history.connected(this.clock.instant());
        }
        this.metrics.connectAttempt(null);
        // debug: with thousands of devices a line per connect would drown the log (the warm-up sums them up)
        log.debug("Device " + this.device + " connected to the IoT Platform");
        if (!up.isConnected()) {
            // lost before it was this connection's: its loss report found another login and was ignored
            lost(up, new MqttException(MqttException.REASON_CODE_CONNECTION_LOST));
        }
        return up;
    }

    private GatewayException loginFailed(GatewayFailure failure, Throwable cause) {
        this.metrics.connectAttempt(failure.problemType());
        Duration backoff;
        synchronized (this) {
            backoff = this.policy.afterFailedLogin(failure.problemType());
        }
        backOff(failure, backoff);
        log.warn("Device " + this.device + " could not connect: " + failure.detail() + "; next attempt in "
                + backoff.toMillis() + " ms");
        // an unreachable platform is retried without waiting for traffic; refused credentials only on demand
        if (failure.problemType() != ProblemType.CREDENTIALS_REJECTED) {
            reconnectInBackground(backoff);
        }
        return failure.toException(this.device, backoff, cause);
    }

    private void backOff(GatewayFailure failure, Duration wait) {
        Instant now = this.clock.instant();
        this.backoffFailure = failure;
        this.history.failed(now, failure.problemType(), failure.detail(), now.plus(wait));
    }

    /** Drops a login presumed dead (with a reset, so nothing buffered arrives later) and logs in again at once. */
    void abandon(DeviceLogin dead, String reason) {
        synchronized (this) {
            if (this.login != dead) {
                return;
            }
            forget(dead);
            this.history.lost(this.clock.instant(), ProblemType.PLATFORM_UNAVAILABLE,
                    "Connection presumed dead (" + reason + "); reconnecting");
        }
        log.warn("Device " + this.device + ": connection presumed dead (" + reason + "); reconnecting");
        this.metrics.deadConnection();
        dead.abort();
        reconnectInBackground(Duration.ZERO);
    }

    /** Paho found the login gone: the platform closed it, a read or write failed, or a ping got no answer. */
    private void lost(DeviceLogin gone, Throwable cause) {
        synchronized (this) {
            if (this.login != gone) {
                // an earlier login, abandoned or closed on purpose
                return;
            }
            forget(gone);
            this.lostAt = this.clock.instant();
            this.history.lost(this.lostAt, ProblemType.PLATFORM_UNAVAILABLE,
                    "Connection lost: " + GatewayFailure.describe(cause));
        }
        log.warn("Device " + this.device + " lost its connection: " + GatewayFailure.describe(cause));
        // Paho calls this on its callback thread, which must not close its own client
        Thread.ofVirtual().name("mqtt-close").start(gone::release);
        this.supervisor.classifyLossAfter(this, LOSS_SETTLE);
    }

    private void forget(DeviceLogin gone) {
        this.login = null;
        this.logins.forget(gone);
    }

    /**
     * {@link #LOSS_SETTLE} after a loss: a kick if another device stayed connected throughout, else an outage,
     * connected again in the background (at once, or after a back-off if the connection had only just opened).
     */
    void classifyLoss() {
        Instant lost = this.lostAt;
        Instant connectedAt = this.history.lastConnectedAt();
        if (lost == null || connectedAt == null || this.closed || this.history.state() != ConnectionState.DISCONNECTED) {
            return;
        }
        Duration connectedFor = Duration.between(connectedAt, lost);
        if (this.supervisor.othersConnectedSince(this.device, lost)) {
            kicked(connectedFor);
            return;
        }
        Duration wait;
        synchronized (this) {
            wait = this.policy.afterLoss(connectedFor);
        }
        if (!wait.isZero()) {
            backOff(new GatewayFailure(ProblemType.PLATFORM_UNAVAILABLE, "The connection to the IoT Platform "
                    + "dropped " + connectedFor.toMillis() + " ms after it was opened; the gateway connects the "
                    + "device again in " + wait.toMillis() + " ms.", true), wait);
        }
        reconnectInBackground(wait);
    }

    private void kicked(Duration connectedFor) {
        Duration pause;
        int kicks;
        synchronized (this) {
            pause = this.policy.afterKick(connectedFor);
            kicks = this.policy.kicks();
        }
        this.metrics.kicked();
        backOff(new GatewayFailure(ProblemType.DEVICE_KICKED, "Another client logged in as this device and the IoT "
                + "Platform closed the gateway's connection (the platform allows one connection per device). The "
                + "gateway stays away for " + pause.toSeconds() + " s so that the two do not keep kicking each "
                + "other; stop the other client or give it a device of its own.", true), pause);
        // no login in the background: it would kick the other client; the next request logs in after the pause
        log.warn("Device " + this.device + " was kicked: another client logged in as it (kick " + kicks
                + "); pausing it for " + pause.toMillis() + " ms");
    }

    /**
     * Logs the device in from the background (warm-up, reconnect after an outage or a dead connection), if it is
     * not connected, not in back-off and no request is logging it in. The caller has taken a place in the
     * gateway-wide connect rate.
     */
    void connectInBackground() {
        this.reconnecting = false;
        if (this.closed || this.sender.retired() || this.login != null) {
            return;
        }
        Instant until = this.history.retryAt();
        if (this.history.state() == ConnectionState.FAILED && until != null && this.clock.instant().isBefore(until)) {
            // a request's failed login moved the next attempt; that one is scheduled
            return;
        }
        if (!this.gate.enterInBackground()) {
            return;
        }
        try {
            if (this.login == null && !this.closed) {
                logIn(true);
            }
        }
        catch (GatewayException ex) {
            log.debug("Background login of device " + this.device + " did not succeed: " + ex.getMessage());
        }
        finally {
            this.gate.leave();
        }
    }

    /** Disconnects (waiting at most the disconnect timeout for the platform) and releases everything. */
    void close() {
        DeviceLogin up;
        synchronized (this) {
            this.closed = true;
            up = this.login;
            if (up != null) {
                forget(up);
            }
        }
        if (up != null) {
            up.logOut(this.settings.disconnectTimeout().toMillis());
        }
    }


}
