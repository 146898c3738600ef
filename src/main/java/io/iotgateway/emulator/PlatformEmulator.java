package io.iotgateway.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.iotgateway.credential.CredentialService;
import io.moquette.broker.ClientDescriptor;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded MQTT broker (Moquette) that behaves like Alibaba Cloud IoT Platform for device logins and publishes:
 * it checks each CONNECT's client id, user name and signature against the {@link CredentialService}, enforces the
 * keep-alive range, one connection per device and the platform's publish rules, and keeps what it accepted in its
 * {@link #inbox()}. Every refusal is logged at WARN and the offending client is disconnected.
 * <p>
 * It listens on plain TCP only (securemode 3), keeps nothing on disk and never calls out.
 */
public final class PlatformEmulator {

    private static final Logger logger = LoggerFactory.getLogger(PlatformEmulator.class);

    // a PUBLISH's remaining length is 2 + topic bytes + 2 (packet id) + payload; the topic is checked separately
    private static final int PUBLISH_HEADER_OVERHEAD = 2 + PublishPolicy.MAX_TOPIC_BYTES + 2;

    // the port comes within milliseconds on an idle machine; 5 s once ran out in CI on a loaded 2-core machine
    private static final Duration PORT_WAIT = Duration.ofSeconds(30);

    private final EmulatorProperties properties;

    private final EmulatorInbox inbox;

    private final PublishPolicy publishPolicy;

    private final LoginCheck loginCheck;

    private final Server server = new Server();

    private final ExecutorService disconnector;

    private final AtomicBoolean started = new AtomicBoolean();

    private final AtomicBoolean stopped = new AtomicBoolean();

    private volatile int port;

    /**
     * Creates a stopped emulator.
     * @param properties where to listen and which limits to apply
     * @param credentials the devices that may log in; consulted at every CONNECT, so devices added later count
     */
    public PlatformEmulator(EmulatorProperties properties, CredentialService credentials) {
        if (properties.keepAliveMin().compareTo(properties.keepAliveMax()) > 0) {
            throw new IllegalArgumentException("gateway.emulator.keep-alive-min must not exceed keep-alive-max");
        }
        this.properties = properties;
        this.inbox = new EmulatorInbox(properties.receivedLogSize());
        this.publishPolicy = new PublishPolicy(properties.maxPayload().toBytes());
        this.loginCheck = new LoginCheck(credentials);
        // disconnects run off Moquette's threads: the topic hook is called on a session loop
        this.disconnector = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("iot-emulator-disconnect").factory());
    }

    /**
     * Starts the broker and waits until it listens.
     * @return this emulator
     * @throws UncheckedIOException when the broker cannot start, e.g. the port is taken
     */
    public PlatformEmulator start() {
        if (!this.started.compareAndSet(false, true)) {
            throw new IllegalStateException("The emulator was already started");
        }
        PlatformInterceptor interceptor = new PlatformInterceptor(this.properties.keepAliveMin(),
                this.properties.keepAliveMax(), this.publishPolicy, this.inbox, this::disconnect, Clock.systemUTC());
        try {
            this.server.startServer(new MemoryConfig(brokerConfig()), List.of(interceptor), null,
                    new PlatformAuthenticator(this.loginCheck, this.inbox),
                    new PlatformAuthorizator(this.publishPolicy, this.inbox, this::disconnect));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The IoT Platform emulator could not start", ex);
        }
        this.port = awaitBoundPort();
        return this;
    }

    private Properties brokerConfig() {
        Properties config = new Properties();
        config.setProperty("host", this.properties.host());
        config.setProperty("port", Integer.toString(this.properties.port()));
        // Moquette's default posts telemetry to an internet host and writes files under data/
        config.setProperty("telemetry_enabled", "false");
        config.setProperty("persistence_enabled", "false");
        config.setProperty("allow_anonymous", "false");
        config.setProperty("allow_zero_byte_client_id", "false");
        // larger payloads fail in the decoder; the interceptor checks the exact limit for shorter topics
        config.setProperty("netty.mqtt.message_size",
                Integer.toString(Math.toIntExact(this.publishPolicy.maxPayloadBytes() + PUBLISH_HEADER_OVERHEAD)));
        // one interceptor thread keeps connect, publish and disconnect events in order
        config.setProperty("intercept.thread_pool.size", "1");
        return config;
    }

    private int awaitBoundPort() {
        // Moquette records the bound port from a listener that may run just after startServer returns
        long deadline = System.nanoTime() + PORT_WAIT.toNanos();
        int bound = boundPortSoFar();
        while (bound == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            bound = boundPortSoFar();
        }
        if (bound == 0) {
            stop();
            throw new IllegalStateException("The IoT Platform emulator did not report its port within " + PORT_WAIT);
        }
        return bound;
    }

    private int boundPortSoFar() {
        try {
            return this.server.getPort();
        }
        catch (ConcurrentModificationException ex) {
            // that listener writes the port into a plain HashMap while getPort reads it: ask again
            return 0;
        }
    }

    /** The port the emulator listens on; known once started. */
    public int port() {
        if (this.port == 0) {
            throw new IllegalStateException("The emulator is not started");
        }
        return this.port;
    }

    /** The host clients connect to: the listen address, or loopback when it listens on all addresses. */
    public String host() {
        String host = this.properties.host();
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The broker URI devices connect to, {@code tcp://host:port}. */
    public String uri() {
        return "tcp://" + host() + ":" + port();
    }

    /** What the emulator received and refused. */
    public EmulatorInbox inbox() {
        return this.inbox;
    }

    /** The MQTT client ids connected right now. */
    public Set<String> connectedClientIds() {
        return this.server.listConnectedClients().stream().map(ClientDescriptor::getClientID)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Stops the broker, closing every connection. Safe to call more than once. */
    public void stop() {
        if (!this.started.get() || !this.stopped.compareAndSet(false, true)) {
            return;
        }
        this.disconnector.shutdownNow();
        this.server.stopServer();
        logger.info("IoT Platform emulator stopped");
    }

    private void disconnect(String clientId) {
        try {
            this.disconnector.execute(() -> {
                try {
                    this.server.disconnectClient(clientId);
                }
                catch (RuntimeException ex) {
                    // the client went away on its own meanwhile
                    logger.debug("Emulator could not disconnect client '{}'", clientId, ex);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            // stopping: every connection is closed anyway
        }
    }
}
