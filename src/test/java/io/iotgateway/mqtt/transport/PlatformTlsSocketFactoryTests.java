package io.iotgateway.mqtt.transport;

import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.SSLSocketFactory;

import io.iotgateway.testsupport.ClassResource;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.MosquittoConfig;
import io.iotgateway.testsupport.TestCertificates;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The platform's TLS trust against a real mosquitto TLS listener whose certificate a CA made for the test issued:
 * trusted through an SSL bundle it connects, with only the shipped roots it is refused at once, and the host name
 * is checked. Also checks the shipped roots themselves.
 */
class PlatformTlsSocketFactoryTests {

    @RegisterExtension
    static final ClassResource<TestCertificates> certificates = ClassResource
        .of(() -> TestCertificates.issue("Test Platform CA"));

    @RegisterExtension
    static final ClassResource<TestCertificates> otherCa = ClassResource
        .of(() -> TestCertificates.issue("Some Other CA"));

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension.of(() -> MosquittoConfig.anonymous()
        .withTls(certificates.get().serverCert(), certificates.get().serverKey()));

    @Test
    void connectsWhenTheBundleTrustsTheBrokersCa() throws Exception {
        MqttClient client = connect(broker.uri(), PlatformTlsSocketFactory.create(true, bundle(certificates.get())));

        assertThat(client.isConnected()).isTrue();
        client.disconnect();
        client.close();
    }

    @Test
    void refusesABrokerWhoseCaIsNotTrustedAtOnce() {
        for (SSLSocketFactory untrusting : List.of(PlatformTlsSocketFactory.create(true, null),
                PlatformTlsSocketFactory.create(false, bundle(otherCa.get())))) {
            Instant start = Instant.now();

            assertThatExceptionOfType(MqttException.class).isThrownBy(() -> connect(broker.uri(), untrusting))
                .withRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void refusesACertificateIssuedForAnotherHostName() {
        // the certificate names localhost only; 127.0.0.1 is the same broker under another name
        String byAddress = broker.uri().replace("localhost", "127.0.0.1");

        assertThatExceptionOfType(MqttException.class)
            .isThrownBy(() -> connect(byAddress, PlatformTlsSocketFactory.create(true, bundle(certificates.get()))))
            .withStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void shipsTheAlibabaIotRootAndGlobalSignR1() throws Exception {
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        roots.load(null, null);
        for (String resource : PlatformTlsSocketFactory.BUILTIN_ROOTS) {
            try (var pem = getClass().getClassLoader().getResourceAsStream(resource)) {
                X509Certificate root = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(pem);
                roots.setCertificateEntry(resource, root);
            }
        }

        assertThat(Collections.list(roots.aliases()).stream()
            .map(alias -> describe(roots, alias))
            .toList()).containsExactlyInAnyOrder(
                    "CN=Aliyun IoT Root CA,OU=Root CA,O=Aliyun IoT,L=Hangzhou,ST=Zhejiang,C=CN until "
                            + "2053-07-04T06:36:58Z sha256 7ca438a3976b5242d231f861499822da855831382735836b361e7e9715661676",
                    "CN=GlobalSign Root CA,OU=Root CA,O=GlobalSign nv-sa,C=BE until 2028-01-28T12:00:00Z sha256 "
                            + "ebd41040e4bb3ec742c9e381d31ef2a41a48b6685c96e7cef3c1df6cd4331c99");
    }

    private static String describe(KeyStore store, String alias) {
        try {
            X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
            return certificate.getSubjectX500Principal().getName() + " until " + certificate.getNotAfter().toInstant()
                    + " sha256 " + HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static SslBundle bundle(TestCertificates ca) {
        return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("file:" + ca.caCert())));
    }

    private static MqttClient connect(String uri, SSLSocketFactory socketFactory) throws MqttException {
        MqttClient client = new MqttClient(uri, "tls-test-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(socketFactory);
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout(5);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        try {
            client.connect(options);
            return client;
        }
        catch (MqttException ex) {
            client.close();
            throw ex;
        }
    }
}
