package io.iotgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.credential.MqttConnectCredentials;
import io.iotgateway.credential.SecureMode;
import io.iotgateway.credential.SignMethod;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import static org.awaitility.Awaitility.await;

/**
 * A device on a real Paho client, signed like the gateway signs, that keeps what the emulator sends it. Close it.
 */
final class PahoDevice implements MqttCallback, AutoCloseable {

    static final long WAIT_MILLIS = 10_000;

    /** One message the device received. */
    record Arrived(String topic, String payload, int qos, boolean retained) {
    }

    private final MqttAsyncClient client;

    private final List<Arrived> arrived = new CopyOnWriteArrayList<>();

    private PahoDevice(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects the device over MQTT 3.1.1 with the given client id part and waits for the CONNACK. */
    static PahoDevice connect(String uri, DeviceTriple device, String cid) throws MqttException {
        return connect(uri, device, cid, MqttConnectOptions.MQTT_VERSION_3_1_1);
    }

    /** Connects the device with the given MQTT version (3 for 3.1, 4 for 3.1.1) and waits for the CONNACK. */
    static PahoDevice connect(String uri, DeviceTriple device, String cid, int mqttVersion) throws MqttException {
        MqttConnectCredentials login = new AliyunMqttSigner(Clock.systemUTC()).sign(device, cid,
                SignMethod.HMACSHA256, SecureMode.TCP);
        PahoDevice connected = new PahoDevice(new MqttAsyncClient(uri, login.clientId(), new MemoryPersistence()));
        connected.client.setCallback(connected);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(mqttVersion);
        options.setUserName(login.username());
        options.setPassword(login.password().toCharArray());
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        try {
            connected.client.connect(options).waitForCompletion(WAIT_MILLIS);
        }
        catch (MqttException ex) {
            connected.client.close(true);
            throw ex;
        }
        return connected;
    }

    String clientId() {
        return this.client.getClientId();
    }

    /** Subscribes and returns the QoS the emulator granted, 128 when it refused. */
    int subscribe(String filter, int qos) throws MqttException {
        IMqttToken token = this.client.subscribe(filter, qos);
        token.waitForCompletion(WAIT_MILLIS);
        return token.getGrantedQos()[0];
    }

    void publish(String topic, String payload, int qos) throws MqttException {
        publish(topic, payload, qos, false);
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        this.client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained)
            .waitForCompletion(WAIT_MILLIS);
    }

    /** Waits for a received message on the topic. */
    Arrived awaitMessage(String topic) {
        return awaitMessage((message) -> message.topic().equals(topic));
    }

    Arrived awaitMessage(Predicate<Arrived> matching) {
        return await().atMost(Duration.ofSeconds(5))
            .until(() -> this.arrived.stream().filter(matching).findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    List<Arrived> arrived() {
        return List.copyOf(this.arrived);
    }

    boolean isConnected() {
        return this.client.isConnected();
    }

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        this.arrived.add(new Arrived(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                message.getQos(), message.isRetained()));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    @Override
    public void close() throws MqttException {
        if (this.client.isConnected()) {
            this.client.disconnectForcibly(0, 100);
        }
        this.client.close(true);
    }
}
