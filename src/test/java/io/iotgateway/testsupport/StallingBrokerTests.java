package io.iotgateway.testsupport;

import java.time.Duration;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class StallingBrokerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /**
     * Verifies that Paho 1.2.5's connection timeout covers only the TCP connect, not the wait for CONNACK
     * (eclipse-paho/paho.mqtt.java#511): only the caller's own wait ends, and the client must then be torn down
     * with {@code disconnectForcibly}, since {@code close} refuses a client that is still connecting.
     */
    @Test
    void connectWithoutConnackOutlastsConnectionTimeoutUntilCallerGivesUp() throws MqttException {
        try (StallingBroker broker = StallingBroker.start(StallingBroker.Mode.NO_CONNACK)) {
            MqttAsyncClient client = newClient(broker);
            IMqttToken connect = client.connect(options());

            assertThatExceptionOfType(MqttException.class).isThrownBy(() -> connect.waitForCompletion(2000))
                .extracting(MqttException::getReasonCode)
                .isEqualTo((int) MqttException.REASON_CODE_CLIENT_TIMEOUT);
            assertThat(connect.isComplete()).isFalse();
            assertThat(broker.connectionCount()).isEqualTo(1);
            assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.close(true))
                .extracting(MqttException::getReasonCode)
                .isEqualTo((int) MqttException.REASON_CODE_CONNECT_IN_PROGRESS);

            client.disconnectForcibly(0, 100);
            client.close(true);
            await().atMost(TIMEOUT).until(() -> broker.openConnectionCount() == 0);
        }
    }

    @Test
    void qos1PublishNeverCompletesWhileQos0Does() throws MqttException {
        try (StallingBroker broker = StallingBroker.start(StallingBroker.Mode.NO_PUBACK)) {
            MqttAsyncClient client = newClient(broker);
            try {
                client.connect(options()).waitForCompletion(TIMEOUT.toMillis());
                assertThat(client.isConnected()).isTrue();

                IMqttDeliveryToken qos1 = client.publish("t/qos1", new byte[] { 1 }, 1, false);
                assertThatExceptionOfType(MqttException.class).isThrownBy(() -> qos1.waitForCompletion(1000))
                    .extracting(MqttException::getReasonCode)
                    .isEqualTo((int) MqttException.REASON_CODE_CLIENT_TIMEOUT);
                assertThat(qos1.isComplete()).isFalse();

                IMqttDeliveryToken qos0 = client.publish("t/qos0", new byte[] { 0 }, 0, false);
                qos0.waitForCompletion(1000);
                assertThat(qos0.isComplete()).isTrue();
                // both reached the broker: the QoS 1 publish hangs for want of a PUBACK, not of sending
                await().atMost(TIMEOUT).until(() -> broker.publishCount() == 2);
            }
            finally {
                client.disconnectForcibly(0, 100);
                client.close(true);
            }
        }
    }

    private static MqttAsyncClient newClient(StallingBroker broker) throws MqttException {
        return new MqttAsyncClient(broker.uri(), "stall-" + System.nanoTime(), new MemoryPersistence());
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("mosheep&a61QmwQD5ZF");
        options.setPassword("4d3c1f8e2b7a9c0d5e6f1a2b3c4d5e6f7a8b9c0d".toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(1);
        return options;
    }

}
