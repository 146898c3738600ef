package io.iotgateway.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real MQTT 3.1.1 client that subscribes at QoS 1 and keeps every message it receives, to assert "back-to-back"
 * what the gateway published. It does not reconnect: after a broker restart, connect a new one.
 */
public final class MqttTestSubscriber implements AutoCloseable {

    private static final int SUBACK_FAILURE = 0x80;

    private final MqttClient client;

    private final List<Received> received = new ArrayList<>();

    private volatile @Nullable Throwable connectionLost;

    private MqttTestSubscriber(MqttClient client) {
        this.client = client;
    }

    /**
     * Connects with a username and password, and subscribes to the filters at QoS 1.
     * @throws MqttException if the broker refuses the connection or a subscription
     */
    public static MqttTestSubscriber connect(String brokerUri, String username, String password,
            String... topicFilters) throws MqttException {
        MqttClient client = new MqttClient(brokerUri, "test-sub-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        // every blocking call, including subscribe, gives up instead of hanging a test forever
        client.setTimeToWait(10_000);
        MqttTestSubscriber subscriber = new MqttTestSubscriber(client);
        client.setCallback(subscriber.new Collector());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        // without it a refused CONNECT is retried as MQTT 3.1 (spring-paho-notes.md §7)
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setConnectionTimeout(5);
        try {
            client.connect(options);
            if (topicFilters.length > 0) {
                subscriber.subscribe(topicFilters);
            }
            return subscriber;
        }
        catch (MqttException ex) {
            subscriber.close();
            throw ex;
        }
    }

    /**
     * Connects with a persistent session (clean session off) that reconnects by itself: with a broker that keeps
     * its sessions ({@link MosquittoConfig#withPersistence()}), messages published while the broker was down and
     * restarted, or while this client was reconnecting, are delivered once it is back.
     */
    public static MqttTestSubscriber connectPersistent(String brokerUri, String username, String password,
            String clientId, String... topicFilters) throws MqttException {
        MqttClient client = new MqttClient(brokerUri, clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        MqttTestSubscriber subscriber = new MqttTestSubscriber(client);
        client.setCallback(subscriber.new Collector());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(500);
        options.setMaxInflight(1000);
        options.setConnectionTimeout(5);
        client.connect(options);
        subscriber.subscribe(topicFilters);
        return subscriber;
    }

    /**
     * Subscribes at QoS 1 and returns once the broker's SUBACK is in, so nothing published afterwards is missed.
     * @throws MqttException if the broker rejects a filter (SUBACK 0x80) or does not answer in 10 s
     */
    public void subscribe(String... topicFilters) throws MqttException {
        int[] qos = new int[topicFilters.length];
        Arrays.fill(qos, 1);
        IMqttToken token = client.subscribeWithResponse(topicFilters, qos);
        int[] granted = token.getGrantedQos();
        for (int i = 0; i < granted.length; i++) {
            if (granted[i] == SUBACK_FAILURE) {
                throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED,
                        new IllegalStateException("Broker rejected subscription to " + topicFilters[i]));
            }
        }
    }

    /** The messages received so far, in arrival order. */
    public List<Received> messages() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /**
     * Waits until at least {@code count} messages have arrived.
     * @return all messages received so far
     * @throws AssertionError listing what did arrive, if fewer came within the timeout
     */
    public List<Received> awaitMessages(int count, Duration timeout) {
        await("%d messages at %s".formatted(count, client.getClientId())).atMost(timeout)
            .pollInterval(Duration.ofMillis(20))
            .untilAsserted(() -> assertThat(messages())
                .as("messages received by %s (connection lost: %s)", client.getClientId(), connectionLost)
                .hasSizeGreaterThanOrEqualTo(count));
        return messages();
    }

    /** The payloads received on exactly this topic (not a filter), in arrival order. */
    public List<byte[]> payloadsOn(String topic) {
        return messages().stream().filter((message) -> message.topic().equals(topic)).map(Received::payload).toList();
    }

    /** Forgets the messages received so far. */
    public void clear() {
        synchronized (received) {
            received.clear();
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Disconnects (or gives up after a second) and releases the client. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
        }
        catch (MqttException ex) {
            // the broker may be gone already; closing is all that is left
        }
        finally {
            try {
                client.close(true);
            }
            catch (MqttException ex) {
                // nothing to release any more
            }
        }
    }

    private final class Collector implements MqttCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            synchronized (received) {
                received.add(new Received(topic, message.getPayload(), message.getQos()));
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            connectionLost = cause;
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // a subscriber does not publish
        }

    }

    /** One message as the broker delivered it; {@code qos} is the delivery QoS (at most 1 here). */
    public record Received(String topic, byte[] payload, int qos) {

        public String payloadAsString() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Received that && topic.equals(that.topic) && Arrays.equals(payload, that.payload)
                    && qos == that.qos;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * topic.hashCode() + Arrays.hashCode(payload)) + qos;
        }

        @Override
        public String toString() {
            return "Received[" + topic + ", qos " + qos + ", " + payload.length + " bytes: " + payloadAsString()
                    + " (hex " + HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 64)) + ")]";
        }

    }

}
