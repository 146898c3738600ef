package io.iotgateway.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Skipped without a Docker engine, so on developer machines and CI here; run where Docker exists. */
@Testcontainers(disabledWithoutDocker = true)
class MosquittoContainerSupportTests {

    private static final String DEVICE = "mosheep&a61QmwQD5ZF";

    private static final String DEVICE_PASSWORD = "4d3c1f8e2b7a9c0d5e6f1a2b3c4d5e6f7a8b9c0d";

    private static final String DEVICE_TOPIC = "/a61QmwQD5ZF/mosheep/user/update";

    private static final String READER = "reader";

    private static final String READER_PASSWORD = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    @Container
    static MosquittoContainerSupport mosquitto = MosquittoContainerSupport.of(MosquittoConfig.empty()
        .withUser(DEVICE, DEVICE_PASSWORD)
        .withUser(READER, READER_PASSWORD)
        .aclFor(DEVICE, "write", "/a61QmwQD5ZF/mosheep/user/#")
        .aclFor(READER, "read", "#"));

    @Test
    void containerAppliesTheSameUsersAndAclAsTheLocalBroker() throws MqttException {
        try (MqttTestSubscriber reader = MqttTestSubscriber.connect(mosquitto.uri(), READER, READER_PASSWORD, "#")) {
            MqttClient device = connect(DEVICE_PASSWORD);
            device.publish("/a61QmwQD5ZF/otherdevice/user/update", "denied".getBytes(StandardCharsets.UTF_8), 1,
                    false);
            device.publish(DEVICE_TOPIC, "allowed".getBytes(StandardCharsets.UTF_8), 1, false);
            device.disconnect();
            device.close();

            assertThat(reader.awaitMessages(1, Duration.ofSeconds(5))).extracting(MqttTestSubscriber.Received::topic)
                .containsExactly(DEVICE_TOPIC);
        }
        assertThatExceptionOfType(MqttException.class).isThrownBy(() -> connect("0".repeat(40)))
            .satisfies((ex) -> assertThat(ex.getReasonCode()).isIn(4, 5));
    }

    private static MqttClient connect(String password) throws MqttException {
        MqttClient client = new MqttClient(mosquitto.uri(), "test-pub-" + System.nanoTime(), new MemoryPersistence());
        client.setTimeToWait(5000);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(DEVICE);
        options.setPassword(password.toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(options);
        return client;
    }

}
