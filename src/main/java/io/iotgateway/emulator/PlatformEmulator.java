package io.iotgateway.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.emulator.thing.AlinkCheck;
import io.moquette.broker.ClientDescriptor;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.DefaultResourceLoader;

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

    // Moquette listens within milliseconds on an idle machine; generous for a loaded CI machine
    private static final Duration PORT_WAIT = Duration.ofSeconds(30);

    private final EmulatorProperties properties;

    private final EmulatorInbox inbox;

    private final PublishPolicy publishPolicy;

    private final LoginCheck loginCheck;

    private final ThingModels thingModels;

    private final Server server = new Server();

    private final FrontDoor frontDoor = new FrontDoor();

    private final ExecutorService disconnector;

    private final AtomicBoolean started = new AtomicBoolean();

    private final AtomicBoolean stopped = new AtomicBoolean();

    private volatile int port;

    /**
     * Creates a stopped emulator.
     * @param properties where to listen and which limits to apply
     * @param credentials the devices that may log in; consulted at every CONNECT, so devices added later count
     * @throws IllegalArgumentException when a configured thing model cannot be read
     */
    public PlatformEmulator(EmulatorProperties properties, CredentialService credentials) {
        if (properties.keepAliveMin().compareTo(properties.keepAliveMax()) > 0) {
            throw new IllegalArgumentException("gateway.emulator.keep-alive-min must not exceed keep-alive-max");
        }
        this.properties = properties;
        this.inbox = new EmulatorInbox(properties.receivedLogSize());
        this.publishPolicy = new PublishPolicy(properties.maxPayload().toBytes());
        this.loginCheck = new LoginCheck(credentials);
        this.thingModels = ThingModels.load(properties.thingModels(), new DefaultResourceLoader());
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
        Clock clock = Clock.systemUTC();
        PlatformReplies replies = new PlatformReplies(this.thingModels, new AlinkCheck(clock), new NtpResponder(clock),
                this::publishToDevice);
        PlatformInterceptor interceptor = new PlatformInterceptor(this.properties.keepAliveMin(),
                this.properties.keepAliveMax(), this.publishPolicy, this.inbox, this::disconnect, replies::answer,
                clock);
        int brokerPort = BrokerPort.free();
        try {
            this.server.startServer(new MemoryConfig(brokerConfig(brokerPort)), List.of(interceptor), null,
                    new PlatformAuthenticator(this.loginCheck, this.inbox),
                    new PlatformAuthorizator(this.publishPolicy, this.inbox, this::disconnect));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The IoT Platform emulator could not start", ex);
        }
        try {
            BrokerPort.awaitListening(brokerPort, PORT_WAIT);
            this.port = this.frontDoor.open(this.properties.host(), this.properties.port(),
                    new InetSocketAddress(BrokerPort.LOOPBACK, brokerPort));
        }
        catch (RuntimeException ex) {
            stop();
            throw ex;
        }
        return this;
    }

    private Properties brokerConfig(int listenPort) {
        Properties config = new Properties();
        // clients reach it through the front door only
        config.setProperty("host", BrokerPort.LOOPBACK);
        config.setProperty("port", Integer.toString(listenPort));
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
        this.frontDoor.close();
        this.server.stopServer();
        logger.info("IoT Platform emulator stopped");
    }

    /** Sends at QoS 1: Moquette delivers at the QoS the device subscribed with, 0 or 1. */
    private void publishToDevice(String topic, byte[] payload) {
        this.server.internalPublish(MqttMessageBuilders.publish()
            .topicName(topic)
            .qos(MqttQoS.AT_LEAST_ONCE)
            .retained(false)
            .messageId(1)
            .payload(Unpooled.wrappedBuffer(payload))
            .build(), "iot-platform-emulator");
    }

    private void disconnect(String clientId) {
        try {
            this.disconnector.execute(() -> {
                try {
                    this.server.disconnectClient(clientId);
                }
                catch (RuntimeException ex) {
                    // the client went away on its own meanwhile
                    logger.debug("Emulator could not disconnect client '{}'", LogText.escape(clientId), ex);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            // stopping: every connection is closed anyway
        }
    }
}
