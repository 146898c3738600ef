package io.iotgateway.mqtt;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.iotgateway.testsupport.EnabledIfMosquittoInstalled;
import io.iotgateway.testsupport.MosquittoBroker;
import io.iotgateway.testsupport.MosquittoConfig;
import io.iotgateway.testsupport.MqttTestSubscriber;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class UntimedReadSocketFactoryTests {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void leavesOutPahosReceivePollTimeout() throws Exception {
        try (Socket socket = UntimedReadSocketFactory.INSTANCE.createSocket()) {
            socket.setSoTimeout(1000);

            assertThat(socket.getSoTimeout()).isZero();
        }
    }

    @Test
    @EnabledIfMosquittoInstalled
    void idleClientStaysConnectedPublishesAndStopsPromptlyOnTheGatewaysExecutor() throws Exception {
        PahoExecutor executor = new PahoExecutor();
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous());
                MqttTestSubscriber reader = MqttTestSubscriber.connect(broker.uri(), "reader", "x", "#")) {
            WarmableMqttClient client = new WarmableMqttClient(broker.uri(), "untimed-read", executor);
            client.connect(options()).waitForCompletion(BOUND.toMillis());

            // longer than Paho's one-second poll: the receiver waits in one untimed read and keeps the connection
            Thread.sleep(2500);
            assertThat(client.isConnected()).isTrue();
            client.publish("/p/d/user/idle", "after idle".getBytes(StandardCharsets.UTF_8), 1, false)
                .waitForCompletion(BOUND.toMillis());
            assertThat(reader.awaitMessages(1, BOUND)).extracting(MqttTestSubscriber.Received::payloadAsString)
                .containsExactly("after idle");

            // stopping cancels the receiver's task: the interrupt ends its blocked read, nothing hangs or leaks
            assertTimeoutPreemptively(BOUND, () -> {
                client.disconnect().waitForCompletion(BOUND.toMillis());
                client.close();
            });
            await().atMost(BOUND).until(() -> executor.getActiveCount() == 0);
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    @EnabledIfMosquittoInstalled
    void brokerGoneIsNoticedWithoutAReadTimeout() throws Exception {
        PahoExecutor executor = new PahoExecutor();
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous())) {
            WarmableMqttClient client = new WarmableMqttClient(broker.uri(), "untimed-loss", executor);
            client.connect(options()).waitForCompletion(BOUND.toMillis());

            broker.kill();

            // the closed socket ends the blocked read at once, long before the keep-alive (60 s) would notice
            await().atMost(BOUND).until(() -> !client.isConnected());
            client.close();
            await().atMost(BOUND).until(() -> executor.getActiveCount() == 0);
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(UntimedReadSocketFactory.INSTANCE);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(5);
        return options;
    }
}
