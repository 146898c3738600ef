package io.iotgateway.emulator;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.credential.MqttConnectCredentials;
import io.iotgateway.credential.SecureMode;
import io.iotgateway.credential.SignMethod;
import io.iotgateway.registry.InMemoryCredentialService;
import org.awaitility.core.ConditionFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A real emulator on a free port, driven by real Paho clients signed like the gateway signs. One emulator serves
 * the whole class because stopping Moquette takes two seconds (Netty's shutdown quiet period).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformEmulatorTests {

    private static final DeviceTriple SHEEP = new DeviceTriple("a61QmwQD5ZF", "mosheep", "f00dfeedf00dfeedf00dfeed");

    private static final String SHEEP_TOPIC = "/a61QmwQD5ZF/mosheep/user/sheep";

    private static final int MAX_PAYLOAD = 256 * 1024;

    // far below Paho's and the gateway's timeouts: a refusal must not look like a hang
    private static final Duration QUICKLY = Duration.ofSeconds(3);

    private static final long WAIT_MILLIS = 10_000;

    private static final Instant LOGIN_TIME = Instant.parse("2026-05-01T10:15:30Z");

    private final InMemoryCredentialService credentials = new InMemoryCredentialService(List.of(SHEEP));

    private final List<MqttAsyncClient> clients = new ArrayList<>();

    private PlatformEmulator emulator;

    @BeforeAll
    void startEmulator() {
        this.emulator = new PlatformEmulator(properties(), this.credentials).start();
    }

    @AfterAll
    void stopEmulator() {
        this.emulator.stop();
    }

    @BeforeEach
    void clearInbox() {
        this.emulator.inbox().clear();
    }

    @AfterEach
    void closeClients() throws MqttException {
        for (MqttAsyncClient client : this.clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 100);
            }
            client.close(true);
        }
        this.clients.clear();
        soon().until(() -> this.emulator.connectedClientIds().isEmpty());
    }

    @Test
    void signedLoginAndQos1PublishArriveInInboxWithExactBytes() throws Exception {
        Device sheep = connect(SHEEP, SignMethod.HMACSHA256, 60);
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }

        sheep.publish(SHEEP_TOPIC, "{\"baa\":1}".getBytes(StandardCharsets.UTF_8), 1).waitForCompletion(WAIT_MILLIS);
        sheep.publish(SHEEP_TOPIC, binary, 1).waitForCompletion(WAIT_MILLIS);

        soon().until(() -> this.emulator.inbox().messages().size() == 2);
        List<ReceivedMessage> received = this.emulator.inbox().messages();
        assertThat(received).extracting(ReceivedMessage::topic).containsOnly(SHEEP_TOPIC);
        assertThat(received).extracting(ReceivedMessage::qos).containsOnly(1);
        assertThat(received).extracting(ReceivedMessage::clientId).containsOnly(sheep.clientId());
        assertThat(received.get(0).payloadAsString()).isEqualTo("{\"baa\":1}");
        assertThat(received.get(1).payload()).isEqualTo(binary);
    }

    @Test
    void acceptsQos0PublishOnOwnSysTopic() throws Exception {
        Device sheep = connect(SHEEP, SignMethod.HMACMD5, 300);

        sheep.publish("/sys/a61QmwQD5ZF/mosheep/thing/event/property/post", "{}".getBytes(), 0);

        assertThat(this.emulator.inbox().awaitMessage((m) -> m.qos() == 0, QUICKLY)).isPresent();
    }

    @Test
    void acceptsDeviceRegisteredAfterStart() throws Exception {
        DeviceTriple goat = new DeviceTriple("a61QmwQD5ZF", "goatee", "another-secret");
        this.credentials.register(goat);

        Device device = connect(goat, SignMethod.HMACSHA1, 60);

        // the emulator records a login on its interceptor thread, just after the CONNACK
        await().atMost(QUICKLY)
            .untilAsserted(() -> assertThat(this.emulator.connectedClientIds()).containsExactly(device.clientId()));
    }

    @Test
    void refusesWrongPasswordWithConnackBadUserNameOrPassword() {
        DeviceTriple impostor = new DeviceTriple("a61QmwQD5ZF", "mosheep", "not-the-secret");

        assertThatExceptionOfType(MqttException.class).isThrownBy(() -> connect(impostor, SignMethod.HMACSHA1, 60))
            .satisfies((ex) -> assertThat(ex.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
        assertThat(this.emulator.inbox().refusedConnects()).isEqualTo(1);
        assertThat(this.emulator.connectedClientIds()).isEmpty();
    }

    @Test
    void refusesUnknownDevice() {
        DeviceTriple stranger = new DeviceTriple("a61QmwQD5ZF", "stranger", "some-secret");

        assertThatExceptionOfType(MqttException.class).isThrownBy(() -> connect(stranger, SignMethod.HMACSHA1, 60))
            .satisfies((ex) -> assertThat(ex.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
    }

    @Test
    void secondLoginOfSameDeviceKicksTheFirst() throws Exception {
        Device first = connect(SHEEP, SignMethod.HMACSHA1, 60, Instant.parse("2026-05-01T10:00:00Z"));
        Device second = connect(SHEEP, SignMethod.HMACSHA1, 60, Instant.parse("2026-05-01T10:00:01Z"));

        soon().until(first::lost);
        assertThat(second.lost()).isFalse();
        assertThat(this.emulator.connectedClientIds()).containsExactly(second.clientId());
        assertThat(this.emulator.inbox().kicks()).isEqualTo(1);
        second.publish(SHEEP_TOPIC, "still here".getBytes(), 1).waitForCompletion(WAIT_MILLIS);
    }

    @Test
    void publishToAnotherDevicesTopicDisconnectsThePublisherQuickly() throws Exception {
        Device sheep = connect(SHEEP, SignMethod.HMACSHA1, 60);
        long start = System.nanoTime();

        IMqttDeliveryToken token = sheep.publish("/a61QmwQD5ZF/goatee/user/sheep", "hi".getBytes(), 1);

        assertThatExceptionOfType(MqttException.class).isThrownBy(() -> token.waitForCompletion(WAIT_MILLIS))
            .satisfies((ex) -> assertThat(ex.getReasonCode()).isEqualTo(MqttException.REASON_CODE_CONNECTION_LOST));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(QUICKLY);
        soon().until(sheep::lost);
        assertThat(this.emulator.inbox().messages()).isEmpty();
        assertThat(this.emulator.inbox().refusedPublishes()).isEqualTo(1);
    }

    @Test
    void qos2PublishDisconnectsThePublisher() throws Exception {
        Device sheep = connect(SHEEP, SignMethod.HMACSHA1, 60);

        sheep.publish(SHEEP_TOPIC, "exactly once?".getBytes(), 2);

        soon().until(sheep::lost);
        assertThat(this.emulator.inbox().messages()).isEmpty();
        assertThat(this.emulator.inbox().refusedPublishes()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = { 10, 1201 })
    void keepAliveOutsidePlatformRangeGetsTheClientDisconnected(int keepAliveSeconds) throws Exception {
        // Moquette cannot refuse it in CONNACK, so the emulator drops the connection right after; Paho then reports
        // either a connect timeout or a lost connection, but always calls connectionLost
        Device sheep = open(SHEEP, SignMethod.HMACSHA1, keepAliveSeconds, LOGIN_TIME);

        soon().until(sheep::lost);
        assertThat(this.emulator.inbox().refusedConnects()).isEqualTo(1);
        soon().until(() -> this.emulator.connectedClientIds().isEmpty());
    }

    @Test
    void acceptsPayloadOfExactlyTheLimit() throws Exception {
        Device sheep = connect(SHEEP, SignMethod.HMACSHA1, 60);
        byte[] payload = new byte[MAX_PAYLOAD];
        payload[MAX_PAYLOAD - 1] = 42;

        sheep.publish(SHEEP_TOPIC, payload, 1).waitForCompletion(WAIT_MILLIS);

        assertThat(this.emulator.inbox().awaitMessage((m) -> true, QUICKLY))
            .hasValueSatisfying((m) -> assertThat(m.payload()).isEqualTo(payload));
        assertThat(sheep.lost()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 4096 })
    void payloadOverTheLimitDisconnectsThePublisher(int bytesOver) throws Exception {
        Device sheep = connect(SHEEP, SignMethod.HMACSHA1, 60);

        sheep.publish(SHEEP_TOPIC, new byte[MAX_PAYLOAD + bytesOver], 1);

        soon().until(sheep::lost);
        assertThat(this.emulator.inbox().messages()).isEmpty();
    }

    @Test
    void refusesSubscriptionToAnotherDevicesTopic() throws Exception {
        Device sheep = connect(SHEEP, SignMethod.HMACSHA1, 60);

        IMqttToken own = sheep.client.subscribe("/a61QmwQD5ZF/mosheep/user/#", 1);
        IMqttToken foreign = sheep.client.subscribe("/a61QmwQD5ZF/goatee/user/#", 1);
        own.waitForCompletion(WAIT_MILLIS);
        foreign.waitForCompletion(WAIT_MILLIS);

        assertThat(own.getGrantedQos()).containsExactly(1);
        assertThat(foreign.getGrantedQos()).containsExactly(0x80);
    }

    @Test
    void aTakenPortIsRefusedAtStartWithItsNumber() {
        int taken = this.emulator.port();
        EmulatorProperties samePort = new EmulatorProperties("127.0.0.1", taken, DataSize.ofBytes(MAX_PAYLOAD),
                Duration.ofSeconds(30), Duration.ofSeconds(1200),
                new EmulatorProperties.DemoDevice(false, "a61QmwQD5ZF", "mosheep"), 100, Map.of());

        assertThatExceptionOfType(UncheckedIOException.class)
            .isThrownBy(() -> new PlatformEmulator(samePort, this.credentials).start())
            .withMessageContaining("127.0.0.1:" + taken);
    }

    @Test
    void aFreePortIsPickedForPortZero() {
        assertThat(this.emulator.port()).isPositive();
        assertThat(this.emulator.uri()).isEqualTo("tcp://127.0.0.1:" + this.emulator.port());
    }

    private static EmulatorProperties properties() {
        return new EmulatorProperties("127.0.0.1", 0, DataSize.ofBytes(MAX_PAYLOAD), Duration.ofSeconds(30),
                Duration.ofSeconds(1200), new EmulatorProperties.DemoDevice(false, "a61QmwQD5ZF", "mosheep"), 100, Map.of());
    }

    private Device connect(DeviceTriple device, SignMethod method, int keepAliveSeconds) throws MqttException {
        return connect(device, method, keepAliveSeconds, LOGIN_TIME);
    }

    private Device connect(DeviceTriple device, SignMethod method, int keepAliveSeconds, Instant at)
            throws MqttException {
        Device connecting = open(device, method, keepAliveSeconds, at);
        connecting.connectToken.waitForCompletion(WAIT_MILLIS);
        return connecting;
    }

    /** Starts connecting a Paho client signed as the device at the given time. */
    private Device open(DeviceTriple device, SignMethod method, int keepAliveSeconds, Instant at)
            throws MqttException {
        MqttConnectCredentials login = new AliyunMqttSigner(Clock.fixed(at, ZoneOffset.UTC)).sign(device,
                device.id().defaultClientId(), method, SecureMode.TCP);
        MqttAsyncClient client = new MqttAsyncClient(this.emulator.uri(), login.clientId(), new MemoryPersistence());
        this.clients.add(client);
        Device connecting = new Device(client);
        client.setCallback(connecting);
        MqttConnectOptions options = new MqttConnectOptions();
        // else Paho retries a refused CONNECT as MQTT 3.1
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(login.username());
        options.setPassword(login.password().toCharArray());
        options.setKeepAliveInterval(keepAliveSeconds);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        connecting.connectToken = client.connect(options);
        return connecting;
    }

    private static ConditionFactory soon() {
        return await().atMost(QUICKLY).pollInterval(Duration.ofMillis(20));
    }

    /** A connected Paho client that remembers whether the broker dropped it. */
    private static final class Device implements MqttCallback {

        private final MqttAsyncClient client;

        private final AtomicReference<Throwable> lostBecause = new AtomicReference<>();

        private IMqttToken connectToken;

        Device(MqttAsyncClient client) {
            this.client = client;
        }

        String clientId() {
            return this.client.getClientId();
        }

        IMqttDeliveryToken publish(String topic, byte[] payload, int qos) throws MqttException {
            return this.client.publish(topic, payload, qos, false);
        }

        boolean lost() {
            return this.lostBecause.get() != null;
        }

        @Override
        public void connectionLost(Throwable cause) {
            this.lostBecause.set(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
