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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceCredentialsChanged;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.integration.mqtt.event.MqttConnectionFailedEvent;
import org.springframework.integration.mqtt.outbound.MqttPahoMessageHandler;
import org.springframework.scheduling.TaskScheduler;

/**
 * Holds one Spring Integration MQTT outbound adapter per device, created on the device's first message (or by the
 * warm-up) and called directly on the request's thread. Creation is once per device even under concurrent first
 * requests, so the platform never sees two logins of one device from this gateway.
 * <p>
 * The adapters are held here rather than registered as flows with {@code IntegrationFlowContext}: registering
 * makes each adapter a bean with its own channel and meters, and registering and destroying get slower with every
 * flow already registered (with 10,000 devices the warm-up fell to a third of its rate and shutdown took over 45 s;
 * see docs/performance.md). The adapter is initialised and started as a bean would be, with the application's bean
 * factory.
 * <p>
 * Stops after the web server has drained its requests (phase 0, like Spring Integration's endpoints) and
 * disconnects every device in parallel.
 */
public class DeviceConnectionPool implements DevicePublisher, SmartLifecycle {

    private static final Log log = LogFactory.getLog(DeviceConnectionPool.class);

    private final BeanFactory beanFactory;

    private final ApplicationEventPublisher events;

    private final CredentialService credentials;

    private final AliyunMqttSigner signer;

    private final PlatformProperties platform;

    private final PlatformEndpoint endpoint;

    private final MqttProperties settings;

    private final Clock clock;

    private final Map<DeviceId, DeviceConnection> connections = new ConcurrentHashMap<>();

    // outlives a device's connection, so that closing and reopening it (rotation, idle) does not reset the limit
    private final Map<DeviceId, ConnectAttempts> connectAttempts = new ConcurrentHashMap<>();

    private final TaskScheduler scheduler;

    private final ScheduledExecutorService pahoExecutor;

    private final PlatformTls tls;

    private final ConnectionMetrics metrics;

    private final ConnectRateLimiter connectRate;

    private volatile boolean running;

    private volatile @Nullable ScheduledFuture<?> idleSweep;

    public DeviceConnectionPool(BeanFactory beanFactory, ApplicationEventPublisher events,
            CredentialService credentials, AliyunMqttSigner signer,
            PlatformProperties platform, PlatformEndpoint endpoint, MqttProperties settings, Clock clock,
            TaskScheduler scheduler, ScheduledExecutorService pahoExecutor, MeterRegistry meterRegistry,
            PlatformTls tls) {
        this.tls = tls;
        this.scheduler = scheduler;
        this.pahoExecutor = pahoExecutor;
        this.metrics = new ConnectionMetrics(meterRegistry, this::countInState);
        this.connectRate = new ConnectRateLimiter(clock, settings.maxConnectsPerSecond());
        this.beanFactory = beanFactory;
        this.events = events;
        this.credentials = credentials;
        this.signer = signer;
        this.platform = platform;
        this.endpoint = endpoint;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void publish(DeviceId device, String topic, byte[] payload, int qos) {
        long start = System.nanoTime();
        ProblemType problem = ProblemType.INTERNAL_ERROR;
        try {
            // a connection retired (idle or evicted) while this request waited for it sends nothing: take a fresh one
            boolean sent;
            do {
                sent = connectionFor(device).publish(topic, payload, qos);
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
        DeviceConnection connection = this.connections.remove(device);
        if (connection != null) {
            destroy(connection);
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
        if (this.connections.size() >= this.settings.maxConnections()) {
            evictLeastRecentlyUsed();
        }
        return this.connections.computeIfAbsent(device, this::createConnection);
    }

    /** Makes room for one more connection by closing the least recently used one that has nothing in flight. */
    private void evictLeastRecentlyUsed() {
        List<DeviceConnection> byAge = this.connections.values()
            .stream()
            .sorted(Comparator.comparing(DeviceConnection::lastUsedAt))
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

    private DeviceConnection createConnection(DeviceId device) {
        SignedClientFactory clientFactory = new SignedClientFactory(() -> this.credentials.find(device), this.signer,
                this.platform, this.endpoint, this.settings, this.pahoExecutor, this.tls);
        MqttPahoMessageHandler handler = new MqttPahoMessageHandler(this.endpoint.uriFor(device),
                device.defaultClientId(), clientFactory);
        handler.setCompletionTimeout(this.settings.completionTimeout().toMillis());
        handler.setDisconnectCompletionTimeout(this.settings.disconnectTimeout().toMillis());
        handler.setDefaultQos(1);
        handler.setBeanFactory(this.beanFactory);
        DeviceConnection connection = new DeviceConnection(device, handler, clientFactory, this.settings, this.clock,
                () -> anyOtherConnected(device), this.metrics, this.connectRate,
                this.connectAttempts.computeIfAbsent(device, id -> new ConnectAttempts()));
        // the adapter reports a lost connection as an event: tell its device first, then the application
        handler.setApplicationEventPublisher(event -> {
            if (event instanceof MqttConnectionFailedEvent failed) {
                connection.connectionLost(failed.getCause());
            }
            this.events.publishEvent(event);
        });
        handler.afterPropertiesSet();
        handler.start();
        return connection;
    }

    /**
     * A device's secret changed or it was removed from the registry: its connection is stale. Closing it lets a
     * message in flight finish or fail (never a silent loss), and the next message reconnects with the stored
     * credentials, or gets 404 for a removed device.
     */
    @EventListener
    void onCredentialsChanged(DeviceCredentialsChanged event) {
        close(event.device());
    }

    private boolean anyOtherConnected(DeviceId device) {
        return this.connections.values()
            .stream()
            .anyMatch(other -> !other.device().equals(device) && other.state() == ConnectionState.CONNECTED);
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
        this.connections.remove(connection.device(), connection);
        destroy(connection);
        connection.releaseRetired();
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
        this.running = true;
        Duration idleTimeout = this.settings.idleTimeout();
        if (!idleTimeout.isZero()) {
            Duration period = Duration.ofMillis(Math.max(1000, idleTimeout.toMillis() / 4));
            this.idleSweep = this.scheduler.scheduleWithFixedDelay(this::retireIdleConnections, period);
        }
        if (this.settings.warmUp()) {
            Thread.ofVirtual().name("device-warm-up").start(this::warmUp);
        }
    }

    /**
     * Connects the registered devices ahead of traffic, at the gateway-wide connect rate and up to the connection
     * limit, so that requests do not pay for the CONNECT (about 300 ms with Paho). Devices that fail are left to
     * their first message, with the usual back-off.
     */
    private void warmUp() {
        List<DeviceId> devices = this.credentials.deviceIds();
        int limit = Math.min(devices.size(), this.settings.maxConnections());
        long start = System.nanoTime();
        try (ExecutorService connects = Executors.newVirtualThreadPerTaskExecutor()) {
            for (DeviceId device : devices.subList(0, limit)) {
                if (!this.running) {
                    break;
                }
                this.connectRate.acquire();
                connects.execute(() -> connectionFor(device).warmUp(this.endpoint.uriFor(device)));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.warn("Warm-up stopped: " + ex.getMessage());
        }
        long connected = countInState(ConnectionState.CONNECTED);
        log.info("Warm-up: " + connected + " of " + limit + " devices connected in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
    }

    @Override
    public void stop() {
        this.running = false;
        ScheduledFuture<?> sweep = this.idleSweep;
        if (sweep != null) {
            sweep.cancel(false);
        }
        List<DeviceConnection> open = new ArrayList<>(this.connections.values());
        this.connections.clear();
        // disconnects wait for the broker (up to the disconnect timeout each): do them side by side
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            open.forEach(connection -> executor.execute(() -> destroy(connection)));
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
