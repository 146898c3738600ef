package io.iotgateway.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.Predicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.concurrent.CopyOnWriteArrayList;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceCredentialsChanged;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.transport.PahoClasses;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;

/**
 * Holds one Spring Integration MQTT outbound adapter per device, created on the device's first message (or by the
 * warm-up) and called directly on the request's thread. Creation is once per device even under concurrent first
 * requests, so the platform never sees two logins of one device from this gateway.
 * <p>
 * The adapters are held here rather than registered as flows with {@code IntegrationFlowContext}: registering
 * makes each adapter a bean with its own channel and meters, and registering and destroying get slower with every
 * flow already registered (with 10,000 devices the warm-up fell to a third of its rate and shutdown took over 45 s;
 * see docs/performance.md). {@link DeviceConnectionFactory} initialises and starts each adapter as the context
 * would.
 * <p>
 * Stops after the web server has drained its requests (phase 0, like Spring Integration's endpoints) and
 * disconnects every device in parallel. Start and stop are idempotent.
 */
public class DeviceConnectionPool
        implements DevicePublisher, DeviceSubscriber, SmartLifecycle, DeviceConnection.Supervisor {

    private static final Log log = LogFactory.getLog(DeviceConnectionPool.class);

    private static final Duration DRAIN_POLL = Duration.ofMillis(20);

    private final DeviceConnectionFactory factory;

    private final CredentialService credentials;

    private final MqttProperties settings;

    private final Clock clock;

    private final Map<DeviceId, DeviceConnection> connections = new ConcurrentHashMap<>();

    private final Map<DeviceId, DeviceSubscriptions> subscriptions = new ConcurrentHashMap<>();

    // subscriptions every login of the devices they select makes (subscribeAtLogin)
    private final List<AtLogin> atLogin = new CopyOnWriteArrayList<>();

    private final LongSupplier nanoTime = System::nanoTime;

    private final TaskScheduler scheduler;

    private final ConnectionMetrics metrics;

    private final BackgroundConnects backgroundConnects;

    private final DeviceOwnership ownership;

    private final Object lifecycle = new Object();

    private volatile boolean running;

    private volatile boolean warmedUp;

    private volatile @Nullable ScheduledFuture<?> idleSweep;

    public DeviceConnectionPool(DeviceConnectionFactory factory, CredentialService credentials,
            MqttProperties settings, Clock clock, TaskScheduler scheduler, MeterRegistry meterRegistry,
            DeviceOwnership ownership) {
        this.factory = factory;
        this.ownership = ownership;
        this.credentials = credentials;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.metrics = new ConnectionMetrics(meterRegistry, this::countInState);
        this.backgroundConnects = new BackgroundConnects(factory.connectRate(), this.nanoTime, scheduler);
    }

    @Override
    public void publish(DeviceId device, String topic, byte[] payload, int qos) {
        long start = System.nanoTime();
        ProblemType problem = ProblemType.INTERNAL_ERROR;
        try {
            // a connection retired (idle or evicted) while this request waited for it sends nothing: take a fresh one
            boolean sent;
            do {
                sent = connectionFor(device).sender().publish(topic, payload, qos);
            }
            while (!sent);
            problem = null;
        }
        catch (GatewayException ex) {
            problem = ex.problemType();
            throw ex;
        }
        finally {
            this.metrics.published(qos, problem, Duration.ofNanos(System.nanoTime() - start), payload.length);
        }
    }

    @Override
    public <L extends InboundListener> L subscribe(DeviceId device, String topicFilter, Class<L> type,
            Supplier<L> newListener) {
        DeviceConnection connection = connectionFor(device);
        // in use from now: the idle sweep must not close it between this subscription and the publish it serves
        connection.sender().markUsed();
        return connection.subscribe(topicFilter, type, newListener);
    }

    @Override
    public ConnectionStatus status(DeviceId device) {
        DeviceConnection connection = this.connections.get(device);
        return (connection != null) ? connection.status() : ConnectionStatus.idle(device);
    }

    @Override
    public List<ConnectionStatus> statuses() {
        // also the source of the connections-by-state gauges
        return this.connections.values()
            .stream()
            .map(DeviceConnection::status)
            .sorted(Comparator.comparing(ConnectionStatus::device))
            .toList();
    }

    @Override
    public void close(DeviceId device) {
        DeviceConnection connection = this.connections.get(device);
        if (connection != null) {
            close(connection, this.ownership::release);
        }
    }

    private DeviceConnection connectionFor(DeviceId device) {
        if (!this.running) {
            throw new GatewayException(ProblemType.PLATFORM_UNAVAILABLE, "The gateway is shutting down.");
        }
        DeviceConnection existing = this.connections.get(device);
        if (existing != null) {
            return existing;
        }
        // in a cluster: only the device's owner connects it, once its previous holder has let go (503 otherwise)
        this.ownership.claim(device);
        if (this.connections.size() >= this.settings.maxConnections()) {
            evictLeastRecentlyUsed();
        }
        return this.connections.computeIfAbsent(device,
                id -> this.factory.create(id, this, this.metrics, subscriptionsOf(id)));
    }

    // the device's, not the connection's: a connection replaced (idle, evicted, re-keyed) hands its subscriptions,
    // their listeners and what they wait for to the next one, whose login restores them before it publishes
    private DeviceSubscriptions subscriptionsOf(DeviceId device) {
        return this.subscriptions.computeIfAbsent(device, id -> {
            DeviceSubscriptions made = new DeviceSubscriptions(id, this.settings.completionTimeout().toMillis());
            this.atLogin.forEach(standing -> standing.applyTo(id, made));
            return made;
        });
    }

    @Override
    public <L extends InboundListener> void subscribeAtLogin(Predicate<DeviceId> devices,
            Function<DeviceId, String> filterFor, Function<DeviceId, L> newListener) {
        AtLogin standing = new AtLogin(devices, filterFor, newListener);
        this.atLogin.add(standing);
        // devices that have subscriptions already (usually none: this is called while the application starts)
        this.subscriptions.forEach(standing::applyTo);
    }

    private record AtLogin(Predicate<DeviceId> devices, Function<DeviceId, String> filterFor,
            Function<DeviceId, ? extends InboundListener> newListener) {

        void applyTo(DeviceId device, DeviceSubscriptions subscriptions) {
            if (this.devices.test(device)) {
                subscriptions.remember(this.filterFor.apply(device), this.newListener.apply(device));
            }
        }
    }

    /** Makes room for one more connection by closing the least recently used one that has nothing in flight. */
    private void evictLeastRecentlyUsed() {
        List<DeviceConnection> byAge = this.connections.values()
            .stream()
            .sorted(Comparator.comparing(connection -> connection.sender().lastUsedAt()))
            .toList();
        Instant now = this.clock.instant();
        for (DeviceConnection candidate : byAge) {
            if (candidate.retireIfIdleSince(now)) {
                retire(candidate);
                log.info("Closed the least recently used connection (device " + candidate.device() + ") to stay within "
                        + this.settings.maxConnections() + " connections");
                return;
            }
        }
        throw new GatewayException(ProblemType.DEVICE_BUSY, "The gateway holds its maximum of "
                + this.settings.maxConnections() + " device connections and all are in use; retry shortly.")
            .retryAfter(Duration.ofSeconds(1));
    }

    /**
     * A device's secret changed or it was removed from the registry: its connection is stale. Closing it lets a
     * message in flight finish or fail (never a silent loss), and the next message reconnects with the stored
     * credentials, or gets 404 for a removed device.
     */
    @EventListener
    void onCredentialsChanged(DeviceCredentialsChanged event) {
        close(event.device());
        if (event.change() == DeviceCredentialsChanged.Change.REMOVED) {
            this.subscriptions.remove(event.device());
        }
    }

    @Override
    public void claimForLogin(DeviceId device) {
        this.ownership.claim(device);
    }

    @Override
    public boolean othersConnectedSince(DeviceId device, Instant instant) {
        return this.connections.values().stream().anyMatch(other -> !other.device().equals(device)
                && other.state() == ConnectionState.CONNECTED && connectedBefore(other, instant));
    }

    private static boolean connectedBefore(DeviceConnection connection, Instant instant) {
        Instant connectedAt = connection.connectedAt();
        return connectedAt != null && connectedAt.isBefore(instant);
    }

    @Override
    public void classifyLossAfter(DeviceConnection connection, Duration delay) {
        this.scheduler.schedule(connection::classifyLoss, this.clock.instant().plus(delay));
    }

    @Override
    public boolean connectInBackgroundAfter(DeviceConnection connection, Duration delay) {
        if (!this.running || this.connections.get(connection.device()) != connection) {
            return false;
        }
        if (!this.ownership.mayConnectNow(connection.device())) {
            // lost on a replica that no longer owns the device, or is cut off from most of the cluster (its
            // connections kicked by the owners that took over): a login now would kick the owner's connection; the
            // hand-over waits for what is in flight, so not on the caller's thread (the scheduler's, a login's)
            log.debug("Device " + connection.device() + " lost its connection on a replica that may not connect it "
                    + "now: handed over, not reconnected");
            Thread.ofVirtual().name("mqtt-hand-over").start(() -> handOver(connection));
            return false;
        }
        this.backgroundConnects.connectAfter(connection, delay);
        return true;
    }

    private static long countConnected(List<DeviceConnection> connections) {
        return connections.stream().filter(connection -> connection.state() == ConnectionState.CONNECTED).count();
    }

    /** The source of the connections-by-state gauges: a count, without building 10,000 statuses per scrape. */
    private long countInState(ConnectionState state) {
        return this.connections.values().stream().filter(connection -> connection.state() == state).count();
    }

    /** Closes the connections no message used for the idle timeout; the next message reopens them. */
    void retireIdleConnections() {
        Instant cutoff = this.clock.instant().minus(this.settings.idleTimeout());
        for (DeviceConnection connection : this.connections.values()) {
            if (connection.retireIfIdleSince(cutoff)) {
                retire(connection);
                log.info("Closed the idle connection of device " + connection.device());
            }
        }
    }

    private void retire(DeviceConnection connection) {
        close(connection, this.ownership::release);
        connection.sender().releaseRetired();
    }

    /** Closes a connection of the pool and lets go of the device, unless a request opened a new one meanwhile. */
    private void close(DeviceConnection connection, Consumer<DeviceId> letGo) {
        this.connections.remove(connection.device(), connection);
        destroy(connection);
        if (!this.connections.containsKey(connection.device())) {
            letGo.accept(connection.device());
        }
    }

    /**
     * Hands over the devices this replica no longer owns (their owner moved in the cluster): each is drained (the
     * messages in flight and the replies awaited finish, at most twice the completion timeout), then disconnected
     * and handed to its new owner, which connects it once this replica has let go. Requests that reach this replica
     * for such a device meanwhile are answered 503 by {@link DeviceOwnership#claim}. Returns how many were handed over.
     */
    public int handOverDevicesOwnedElsewhere() {
        List<DeviceConnection> moved = this.connections.values()
            .stream()
            .filter(connection -> !this.ownership.ownsLocally(connection.device()))
            .toList();
        if (moved.isEmpty()) {
            return 0;
        }
        // each drain waits for its own device's messages: side by side, as at shutdown
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            moved.forEach(connection -> executor.execute(() -> handOver(connection)));
        }
        log.info("Handed over " + moved.size() + " device(s) now owned by other replicas");
        return moved.size();
    }

    private void handOver(DeviceConnection connection) {
        long deadline = this.nanoTime.getAsLong() + this.settings.completionTimeout().multipliedBy(2).toNanos();
        boolean drained;
        while (!(drained = connection.retireIfIdleSince(this.clock.instant()))
                && this.nanoTime.getAsLong() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // not drained in time: what is still in flight fails with the closed connection (an answer, never a loss)
        close(connection, this.ownership::handOver);
        if (drained) {
            connection.sender().releaseRetired();
        }
    }

    /**
     * Connects devices ahead of traffic, in turn with the other background logins and at the connect rate: the devices
     * this replica took over from a replica that left or failed, which had connections there.
     */
    public void connectAhead(List<DeviceId> devices) {
        if (!this.running || devices.isEmpty()) {
            return;
        }
        this.backgroundConnects.runInTurn(() -> connectAheadInTurn("Take-over", devices));
    }

    /**
     * The warm-up of devices this replica came to own (in a cluster: partitions that moved to it), unless
     * {@code gateway.mqtt.warm-up} is off: the registered devices that {@code which} selects and this replica owns.
     */
    public void warmUp(Predicate<DeviceId> which) {
        if (!this.running || !this.settings.warmUp()) {
            return;
        }
        this.backgroundConnects.runInTurn(() -> connectAheadInTurn("Warm-up",
                this.credentials.deviceIds().stream().filter(which).toList()));
    }

    private void connectAheadInTurn(String what, List<DeviceId> devices) {
        List<DeviceConnection> taken = new ArrayList<>();
        for (DeviceId device : devices) {
            if (!this.running || this.connections.size() >= this.settings.maxConnections()) {
                break;
            }
            // a device another replica still holds comes to this one once handed over
            if (this.connections.containsKey(device) || !this.ownership.mayConnectNow(device)
                    || !this.credentials.exists(device)) {
                continue;
            }
            try {
                taken.add(connectionFor(device));
            }
            catch (GatewayException ex) {
                // moving again meanwhile: the next sweep or the next request takes it
                log.debug("Not connecting device " + device + " ahead of traffic: " + ex.getMessage());
            }
        }
        if (!taken.isEmpty()) {
            this.backgroundConnects.warmUp(what, taken, () -> countConnected(taken));
        }
    }

    private void destroy(DeviceConnection connection) {
        try {
            connection.close();
        }
        catch (RuntimeException ex) {
            log.warn("Closing the connection of device " + connection.device() + " failed: " + ex);
        }
    }

    @Override
    public void start() {
        synchronized (this.lifecycle) {
            if (this.running) {
                return;
            }
            // before any virtual thread of the MQTT stack runs (see PahoClasses)
            PahoClasses.load();
            this.running = true;
            this.backgroundConnects.start();
            Duration idleTimeout = this.settings.idleTimeout();
            if (!idleTimeout.isZero()) {
                Duration period = Duration.ofMillis(Math.max(1000, idleTimeout.toMillis() / 4));
                this.idleSweep = this.scheduler.scheduleWithFixedDelay(this::retireIdleConnections, period);
            }
        }
    }

    /**
     * Once the application is ready (web server up, its classes loaded), connects the registered devices ahead of
     * traffic, at the gateway-wide connect rate and up to the connection limit, so that requests do not pay for
     * the CONNECT (about 300 ms with Paho). The first login runs on the dispatcher's platform thread, so that
     * whatever the login path loads for the first time is not loaded by many virtual threads at once. Devices
     * that cannot be reached are retried in the background with back-off.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        synchronized (this.lifecycle) {
            if (!this.settings.warmUp() || this.warmedUp || !this.running) {
                return;
            }
            this.warmedUp = true;
        }
        this.backgroundConnects.runInTurn(this::queueWarmUp);
    }

    private void queueWarmUp() {
        // in a cluster, the devices this replica owns and no other holds; the others' owners warm them up
        List<DeviceId> devices = this.credentials.deviceIds().stream().filter(this.ownership::mayConnectNow).toList();
        List<DeviceConnection> warm = new ArrayList<>();
        for (DeviceId device : devices.subList(0, Math.min(devices.size(), this.settings.maxConnections()))) {
            if (!this.running) {
                break;
            }
            try {
                warm.add(connectionFor(device));
            }
            catch (GatewayException ex) {
                // in a cluster: moving meanwhile; its owner connects it
                log.debug("Not warming up device " + device + ": " + ex.getMessage());
            }
        }
        this.backgroundConnects.warmUp("Warm-up", warm, () -> countConnected(warm));
    }

    @Override
    public void stop() {
        synchronized (this.lifecycle) {
            if (!this.running) {
                return;
            }
            this.running = false;
            this.warmedUp = false;
            this.backgroundConnects.stop();
            ScheduledFuture<?> sweep = this.idleSweep;
            if (sweep != null) {
                sweep.cancel(false);
            }
        }
        List<DeviceConnection> open = new ArrayList<>(this.connections.values());
        this.connections.clear();
        // disconnects wait for the broker (up to the disconnect timeout each): do them side by side; in a cluster the
        // replicas that own the devices next connect them (the web server has drained its requests before this)
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            open.forEach(connection -> executor.execute(() -> {
                destroy(connection);
                this.ownership.handOver(connection.device());
            }));
        }
        if (!open.isEmpty()) {
            log.info("Disconnected " + open.size() + " device connection(s)");
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
