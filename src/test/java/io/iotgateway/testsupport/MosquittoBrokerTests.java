package io.iotgateway.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@EnabledIfMosquittoInstalled
class MosquittoBrokerTests {

    // Alibaba's username shape, deviceName&productKey, and a 40-hex-digit password like its HMAC-SHA1 signs
    private static final String DEVICE = "mosheep&a61QmwQD5ZF";

    private static final String DEVICE_PASSWORD = "4d3c1f8e2b7a9c0d5e6f1a2b3c4d5e6f7a8b9c0d";

    private static final String DEVICE_TOPIC = "/a61QmwQD5ZF/mosheep/user/update";

    private static final String READER = "reader";

    private static final String READER_PASSWORD = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static MosquittoBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = startDeviceBroker();
    }

    @AfterAll
    static void closeBroker() {
        broker.close();
    }

    @Test
    void userWithAmpersandPublishesExactBytesToReader() throws MqttException {
        byte[] payload = { 0x00, (byte) 0xFF, '&', 0x7B, '\n', (byte) 0xC3, 0x28 };
        try (MqttTestSubscriber reader = MqttTestSubscriber.connect(broker.uri(), READER, READER_PASSWORD, "#")) {
            MqttClient device = connect(broker.uri(), DEVICE, DEVICE_PASSWORD);
            try {
                device.publish(DEVICE_TOPIC, payload, 1, false);
            }
            finally {
                closeQuietly(device);
            }

            assertThat(reader.awaitMessages(1, TIMEOUT)).singleElement()
                .isEqualTo(new MqttTestSubscriber.Received(DEVICE_TOPIC, payload, 1));
            assertThat(reader.payloadsOn(DEVICE_TOPIC)).singleElement().isEqualTo(payload);
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        assertThatExceptionOfType(MqttException.class)
            .isThrownBy(() -> connect(broker.uri(), DEVICE, DEVICE_PASSWORD.replace('4', '5')))
            .satisfies((ex) -> assertThat(ex.getReasonCode()).as("CONNACK return code")
                .isIn((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION,
                        (int) MqttException.REASON_CODE_NOT_AUTHORIZED));
    }

    @Test
    void aclDropsPublishOutsideAllowedTopics() throws MqttException {
        String otherDevicesTopic = "/a61QmwQD5ZF/otherdevice/user/update";
        try (MqttTestSubscriber reader = MqttTestSubscriber.connect(broker.uri(), READER, READER_PASSWORD, "#")) {
            MqttClient device = connect(broker.uri(), DEVICE, DEVICE_PASSWORD);
            try {
                // MQTT 3.1.1 has no way to refuse a publish: mosquitto acknowledges it and drops it
                device.publish(otherDevicesTopic, "denied".getBytes(StandardCharsets.UTF_8), 1, false);
                // the broker keeps one publisher's order, so once this arrives the denied one would have too
                device.publish(DEVICE_TOPIC, "allowed".getBytes(StandardCharsets.UTF_8), 1, false);
            }
            finally {
                closeQuietly(device);
            }

            assertThat(reader.awaitMessages(1, TIMEOUT)).extracting(MqttTestSubscriber.Received::topic)
                .containsExactly(DEVICE_TOPIC);
        }
    }

    @Test
    void killRefusesConnectionsAndRestartServesOnSamePort() throws MqttException {
        try (MosquittoBroker outage = startDeviceBroker()) {
            int port = outage.port();
            MqttTestSubscriber before = MqttTestSubscriber.connect(outage.uri(), READER, READER_PASSWORD, "#");

            outage.kill();

            assertThat(outage.isRunning()).isFalse();
            assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> openSocket(port));
            await().atMost(TIMEOUT).until(() -> !before.isConnected());
            before.close();

            outage.restart();

            assertThat(outage.port()).isEqualTo(port);
            try (MqttTestSubscriber after = MqttTestSubscriber.connect(outage.uri(), READER, READER_PASSWORD, "#")) {
                MqttClient device = connect(outage.uri(), DEVICE, DEVICE_PASSWORD);
                try {
                    device.publish(DEVICE_TOPIC, "back".getBytes(StandardCharsets.UTF_8), 1, false);
                }
                finally {
                    closeQuietly(device);
                }
                assertThat(after.awaitMessages(1, TIMEOUT)).singleElement()
                    .extracting(MqttTestSubscriber.Received::payloadAsString)
                    .isEqualTo("back");
            }
            assertThat(outage.log()).contains("mosquitto version", "running");
        }
    }

    @Test
    void stopTerminatesGracefully() {
        try (MosquittoBroker stopped = startDeviceBroker()) {
            stopped.stop();

            assertThat(stopped.isRunning()).isFalse();
            assertThat(stopped.log()).contains("terminating");
            assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> openSocket(stopped.port()));
        }
    }

    private static MosquittoBroker startDeviceBroker() {
        return MosquittoBroker.withUser(DEVICE, DEVICE_PASSWORD)
            .withUser(READER, READER_PASSWORD)
            .aclFor(DEVICE, "write", "/a61QmwQD5ZF/mosheep/user/#")
            .aclFor(READER, "read", "#")
            .start();
    }

    private static MqttClient connect(String uri, String username, String password) throws MqttException {
        MqttClient client = new MqttClient(uri, "test-pub-" + System.nanoTime(), new MemoryPersistence());
        client.setTimeToWait(TIMEOUT.toMillis());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(5);
        try {
            client.connect(options);
            return client;
        }
        catch (MqttException ex) {
            client.close(true);
            throw ex;
        }
    }

    private static void closeQuietly(MqttClient client) {
        try {
            client.disconnect(1000);
            client.close(true);
        }
        catch (MqttException ex) {
            // nothing to assert about a client we are done with
        }
    }

    private static void openSocket(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }

}
