package io.iotgateway.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@EnabledIfNetworkNamespaces
class NetworkNamespaceTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    // TCP retransmits what a fault dropped with a back-off that doubles from 200 ms: allow several rounds
    private static final Duration RETRANSMISSION_TIMEOUT = Duration.ofSeconds(20);

    private NetworkNamespace namespace;

    private MosquittoBroker broker;

    private MqttAsyncClient client;

    @BeforeEach
    void start() throws MqttException {
        this.namespace = NetworkNamespace.create();
        this.broker = this.namespace.startMosquitto(MosquittoConfig.anonymous());
        this.client = new MqttAsyncClient(this.broker.uri(), "namespaced", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(2);
        this.client.connect(options).waitForCompletion(TIMEOUT.toMillis());
    }

    @AfterEach
    void stop() throws MqttException {
        try {
            this.client.disconnectForcibly(0, 0, false);
            this.client.close(true);
        }
        finally {
            this.namespace.close();
        }
    }

    @Test
    void brokerListensOnTheNamespacesEndOfThePair() throws MqttException {
        assertThat(this.broker.uri())
            .isEqualTo("tcp://" + this.namespace.namespaceAddress() + ":" + this.broker.port());
        assertThat(this.namespace.namespaceAddress()).startsWith("10.213.");

        publish("t/1").waitForCompletion(TIMEOUT.toMillis());

        assertThat(this.broker.log()).contains("New client connected from " + this.namespace.hostAddress());
    }

    /**
     * Verifies that a black hole is a partition of the kernel's TCP: the PUBACK does not come while it lasts, and
     * after it the kernel retransmits what it dropped, so even the message sent into the black hole arrives.
     */
    @Test
    void blackHoleTimesThePublishOutAndAfterHealTcpDeliversItLate() throws MqttException {
        this.namespace.blackHole();

        IMqttDeliveryToken partitioned = publish("t/partitioned");

        assertThatExceptionOfType(MqttException.class).isThrownBy(() -> partitioned.waitForCompletion(1000))
            .extracting(MqttException::getReasonCode)
            .isEqualTo((int) MqttException.REASON_CODE_CLIENT_TIMEOUT);
        assertThat(this.client.isConnected()).isTrue();

        this.namespace.heal();
        publish("t/healed").waitForCompletion(RETRANSMISSION_TIMEOUT.toMillis());
        partitioned.waitForCompletion(RETRANSMISSION_TIMEOUT.toMillis());
        assertThat(this.broker.isRunning()).isTrue();
    }

    @Test
    void lossSlowsButTcpDeliversEveryMessage() throws MqttException {
        this.namespace.loss(20);

        List<IMqttDeliveryToken> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(publish("t/" + i));
        }

        for (IMqttDeliveryToken token : tokens) {
            token.waitForCompletion(RETRANSMISSION_TIMEOUT.toMillis());
        }
    }

    @Test
    void delayHoldsEveryAnswer() throws MqttException {
        assumeTrue(this.namespace.supportsDelay(),
                "the kernel has no netem queueing discipline (CONFIG_NET_SCH_NETEM)");
        Duration delay = Duration.ofMillis(300);
        this.namespace.delay(delay);

        long start = System.nanoTime();
        publish("t/slow").waitForCompletion(TIMEOUT.toMillis());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
    }

    private IMqttDeliveryToken publish(String topic) throws MqttException {
        return this.client.publish(topic, new byte[] { 1 }, 1, false);
    }
}
