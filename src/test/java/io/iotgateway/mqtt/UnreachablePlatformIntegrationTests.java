package io.iotgateway.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's port refuses connections: requests fail fast with 503 and Retry-After, health says why, and the
 * Kubernetes probes stay up (a broker outage must not get the pod restarted).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreachablePlatformIntegrationTests {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) throws IOException {
        int closedPort = closedPort();
        registry.add("gateway.platform.endpoint", () -> "tcp://127.0.0.1:" + closedPort);
        registry.add("gateway.mqtt.reconnect-backoff", () -> "5s");
        TestDevices.register(registry);
    }

    @Test
    void requestsFailFastWith503AndRetryAfterWhileThePlatformIsDown() {
        GatewayHttpClient http = new GatewayHttpClient(this.port);

        Instant start = Instant.now();
        HttpResponse<String> first = http.post(TestDevices.SHEEP_PATH, "text/plain", bytes("baa"));
        HttpResponse<String> second = http.post(TestDevices.SHEEP_PATH, "text/plain", bytes("baa"));
        Duration took = Duration.between(start, Instant.now());

        for (HttpResponse<String> response : new HttpResponse[] { first, second }) {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 10));
            assertThat(response.body()).contains("urn:iot-gateway:problem:platform-unavailable");
            // the answer names no broker address
            assertThat(response.body()).doesNotContain("127.0.0.1");
        }
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        HttpResponse<String> health = http.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"mqtt\":{", "\"failed\":1", "platform-unavailable");
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
