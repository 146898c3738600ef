package io.iotgateway.mqtt;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import io.iotgateway.testsupport.ClassResource;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.MosquittoConfig;
import io.iotgateway.testsupport.TestCertificates;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway publishing over {@code ssl://} to a mosquitto TLS listener with a certificate from a test CA: with the
 * CA in an SSL bundle the message is acknowledged; with only the shipped Alibaba roots the platform is refused at
 * once with a 503 and a log line that says why, not a hang.
 */
class PlatformTlsIntegrationTests {

    private static final String PATH = "/api/v1/devices/a61QmwQD5ZF/tlssheep/user/sheep";

    @RegisterExtension
    static final ClassResource<TestCertificates> certificates = ClassResource
        .of(() -> TestCertificates.issue("Test Platform CA"));

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension.of(() -> MosquittoConfig.anonymous()
        .withTls(certificates.get().serverCert(), certificates.get().serverKey()));

    static void platform(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", broker::uri);
        registry.add("gateway.security.open", () -> "true");
        registry.add("gateway.mqtt.completion-timeout", () -> "5s");
        registry.add("gateway.devices[0].product-key", () -> "a61QmwQD5ZF");
        registry.add("gateway.devices[0].device-name", () -> "tlssheep");
        registry.add("gateway.devices[0].device-secret", () -> "tls-test-secret");
    }

    static HttpResponse<String> publish(int port) {
        return new GatewayHttpClient(port).post(PATH, null, "over tls");
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class WithTheCaInAnSslBundle {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            platform(registry);
            registry.add("spring.ssl.bundle.pem.platform.truststore.certificate",
                    () -> "file:" + certificates.get().caCert());
            registry.add("gateway.platform.tls.ssl-bundle", () -> "platform");
        }

        @Test
        void publishesOverTlsAndIsAcknowledged() throws Exception {
            HttpResponse<String> response = publish(this.port);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"acknowledged\"");
            assertThat(broker.log()).contains("New client connected from 127.0.0.1");
        }
    }

    @Nested
    @ExtendWith(OutputCaptureExtension.class)
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class WithOnlyTheShippedRoots {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            platform(registry);
        }

        @Test
        void refusesTheUntrustedPlatformAtOnceAndSaysWhy(CapturedOutput output) throws Exception {
            Instant start = Instant.now();
            HttpResponse<String> response = publish(this.port);
            Duration took = Duration.between(start, Instant.now());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).contains("urn:iot-gateway:problem:platform-unavailable");
            // a refused handshake fails fast: no waiting for the completion timeout (5 s here)
            assertThat(took).isLessThan(Duration.ofSeconds(3));
            assertThat(output.getAll()).contains("TLS to the IoT Platform refused: the server certificate "
                    + "CN=localhost is not trusted (PKIX path building failed");
        }
    }
}
