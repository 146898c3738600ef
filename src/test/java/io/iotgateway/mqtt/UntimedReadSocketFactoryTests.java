package io.iotgateway.mqtt;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.iotgateway.testsupport.EnabledIfMosquittoInstalled;
import io.iotgateway.testsupport.MosquittoBroker;
import io.iotgateway.testsupport.MosquittoConfig;
import io.iotgateway.testsupport.StallingBroker;
import io.iotgateway.testsupport.TestCertificates;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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
    void leavesOutPahosReceivePollTimeoutUnderTls() throws Exception {
        try (Socket socket = new UntimedReadTlsSocketFactory((SSLSocketFactory) SSLSocketFactory.getDefault())
            .createSocket()) {
            socket.setSoTimeout(1000);

            assertThat(socket).isInstanceOf(SSLSocket.class);
            assertThat(socket.getSoTimeout()).isZero();
        }
    }

    @Test
    @EnabledIfMosquittoInstalled
    void idleClientStaysConnectedPublishesAndStopsPromptlyOnTheGatewaysExecutor() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous())) {
            idleThenPublishThenStop(broker, options());
        }
    }

    @Test
    @EnabledIfMosquittoInstalled
    void theSameOverTlsWithTheCertificateAndHostNameChecked() throws Exception {
        try (TestCertificates certificates = TestCertificates.issue("Test Platform CA");
                MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous()
                    .withTls(certificates.serverCert(), certificates.serverKey()))) {
            MqttConnectOptions options = options();
            options.setSocketFactory(PlatformTlsSocketFactory.create(false, SslBundle.of(new PemSslStoreBundle(null,
                    PemSslStoreDetails.forCertificate("file:" + certificates.caCert())))));
            options.setHttpsHostnameVerificationEnabled(true);

            idleThenPublishThenStop(broker, options);
        }
    }

    @Test
    void aStalledTlsHandshakeEndsWhenTheConnectIsGivenUp() throws Exception {
        PahoExecutor executor = new PahoExecutor();
        // accepts TCP and never answers: the TLS handshake waits in an untimed read
        try (StallingBroker broker = StallingBroker.start(StallingBroker.Mode.NO_CONNACK)) {
            MqttConnectOptions options = options();
            options.setSocketFactory(PlatformTlsSocketFactory.create(true, null));
            WarmableMqttClient client = new WarmableMqttClient("ssl://127.0.0.1:" + broker.port(), "stalled-tls",
                    executor);

            assertThatExceptionOfType(MqttException.class)
                .isThrownBy(() -> client.connect(options).waitForCompletion(1000));
            // what the gateway does with a CONNECT that timed out: the socket closes and the handshake ends
            client.disconnectForcibly(0, 0, false);
            client.close(true);

            await().atMost(BOUND).until(() -> broker.openConnectionCount() == 0);
            await().atMost(BOUND).until(() -> executor.getActiveCount() == 0);
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static void idleThenPublishThenStop(MosquittoBroker broker, MqttConnectOptions options)
            throws Exception {
        PahoExecutor executor = new PahoExecutor();
        try {
            WarmableMqttClient client = new WarmableMqttClient(broker.uri(), "untimed-read", executor);
            client.connect(options).waitForCompletion(BOUND.toMillis());

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
