package io.iotgateway.mqtt.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLSocketFactory;

import io.iotgateway.testsupport.EnabledIfMosquittoInstalled;
import io.iotgateway.testsupport.MosquittoBroker;
import io.iotgateway.testsupport.MosquittoConfig;
import io.iotgateway.testsupport.StallingBroker;
import io.iotgateway.testsupport.TestCertificates;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The gateway's Paho client on its network modules: untimed reads, bounded handshakes, losses reported. */
class DeviceMqttClientTests {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final PahoExecutor executor = new PahoExecutor();

    private final CopyOnWriteArrayList<Throwable> losses = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopExecutor() {
        this.executor.shutdownNow();
    }

    @Test
    @EnabledIfMosquittoInstalled
    void idleClientStaysConnectedPublishesAndStopsPromptly() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous())) {
            idleThenPublishThenStop(client(broker.uri(), "untimed-read", null));
        }
    }

    @Test
    @EnabledIfMosquittoInstalled
    void theSameOverTlsWithTheCertificateAndHostNameChecked() throws Exception {
        try (TestCertificates certificates = TestCertificates.issue("Test Platform CA");
                MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous()
                    .withTls(certificates.serverCert(), certificates.serverKey()))) {
            SSLSocketFactory tls = PlatformTlsSocketFactory.create(false, SslBundle.of(new PemSslStoreBundle(null,
                    PemSslStoreDetails.forCertificate("file:" + certificates.caCert()))));

            idleThenPublishThenStop(client(broker.uri(), "untimed-read-tls", tls));
        }
    }

    @Test
    void aStalledTlsHandshakeFailsWithinTheConnectTimeoutByItself() throws Exception {
        // accepts TCP and never answers: the TLS handshake must not wait in an untimed read
        try (StallingBroker broker = StallingBroker.start(StallingBroker.Mode.NO_CONNACK)) {
            DeviceMqttClient client = client("ssl://127.0.0.1:" + broker.port(), "stalled-tls",
                    PlatformTlsSocketFactory.create(true, null));
            MqttConnectOptions options = options();
            options.setConnectionTimeout(1);

            long start = System.nanoTime();
            // no wait bound of ours: the handshake timeout alone ends the attempt
            assertTimeoutPreemptively(BOUND, () -> assertThatExceptionOfType(MqttException.class)
                .isThrownBy(() -> client.connect(options).waitForCompletion()));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(client.transportOpened()).isFalse();
            client.release();
            await().atMost(BOUND).until(() -> broker.openConnectionCount() == 0);
            await().atMost(BOUND).until(() -> this.executor.runningTasks() == 0);
        }
    }

    @Test
    @EnabledIfMosquittoInstalled
    void brokerGoneIsReportedWithoutAReadTimeout() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous())) {
            DeviceMqttClient client = client(broker.uri(), "untimed-loss", null);
            client.connect(options()).waitForCompletion(BOUND.toMillis());

            broker.kill();

            // the closed socket ends the blocked read at once, long before the keep-alive (60 s) would notice
            await().atMost(BOUND).until(() -> this.losses.size() == 1);
            assertThat(client.isConnected()).isFalse();
            client.release();
            await().atMost(BOUND).until(() -> this.executor.runningTasks() == 0);
        }
    }

    @Test
    @EnabledIfMosquittoInstalled
    void theHandlersCallbackDoesNotReplaceTheConnectionsOwn() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous())) {
            DeviceMqttClient client = client(broker.uri(), "callback-kept", null);
            client.connect(options()).waitForCompletion(BOUND.toMillis());
            // what Spring Integration's handler does with every client it takes
            client.setCallback(null);
            assertThat(client.connect(options())).isNotNull();

            broker.kill();

            await().atMost(BOUND).until(() -> this.losses.size() == 1);
            client.release();
        }
    }

    @Test
    @EnabledIfMosquittoInstalled
    void recordsWhenBytesLastArrived() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous())) {
            DeviceMqttClient client = client(broker.uri(), "activity", null);
            client.connect(options()).waitForCompletion(BOUND.toMillis());
            long before = System.nanoTime();

            client.publish("/p/d/user/activity", new byte[] { 1 }, 1, false).waitForCompletion(BOUND.toMillis());

            // the PUBACK arrived after the publish was sent
            assertThat(client.lastInboundNanos() - before).isPositive();
            client.disconnect().waitForCompletion(BOUND.toMillis());
            client.release();
        }
    }

    private void idleThenPublishThenStop(DeviceMqttClient client) throws Exception {
        client.connect(options()).waitForCompletion(BOUND.toMillis());
        assertThat(client.transportOpened()).isTrue();

        // longer than Paho's one-second poll: the receiver waits in one untimed read and keeps the connection
        Thread.sleep(2500);
        assertThat(client.isConnected()).isTrue();
        // the PUBACK arrives through that same read
        IMqttDeliveryToken delivery = client.publish("/p/d/user/idle",
                "after idle".getBytes(StandardCharsets.UTF_8), 1, false);
        delivery.waitForCompletion(BOUND.toMillis());
        assertThat(delivery.isComplete()).isTrue();
        assertThat(delivery.getException()).isNull();

        // stopping cancels the receiver's task: the interrupt ends its blocked read, nothing hangs or leaks
        assertTimeoutPreemptively(BOUND, () -> {
            client.disconnect().waitForCompletion(BOUND.toMillis());
            client.close();
        });
        await().atMost(BOUND).until(() -> this.executor.runningTasks() == 0);
        assertThat(this.losses).isEmpty();
    }

    private DeviceMqttClient client(String uri, String clientId, @Nullable SSLSocketFactory tls) throws MqttException {
        return new DeviceMqttClient(uri, clientId, this.executor, tls, (client, cause) -> this.losses.add(cause),
                (topic, payload) -> {
                });
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(5);
        return options;
    }
}
