package io.iotgateway.mqtt;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.MqttTestSubscriber;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker dies mid-traffic and comes back: requests meanwhile get a fast 503, and traffic resumes without
 * restarting the gateway.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDevices.FixedTimestampSigning.class)
class BrokerRestartIntegrationTests {

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension.of(TestDevices::brokerConfig);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", broker::uri);
        registry.add("gateway.mqtt.reconnect-backoff", () -> "200ms");
        registry.add("gateway.mqtt.reconnect-backoff-max", () -> "1s");
        registry.add("gateway.mqtt.max-connects-per-minute", () -> "20");
        TestDevices.register(registry);
    }

    @Test
    void trafficResumesAfterTheBrokerComesBack() throws Exception {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        assertThat(post(http, "before").statusCode()).isEqualTo(200);

        broker.kill();
        await().atMost(Duration.ofSeconds(10))
            .until(() -> http.get(devicePath()).body().contains("\"state\":\"DISCONNECTED\""));
        long start = System.nanoTime();
        HttpResponse<String> duringOutage = post(http, "during");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(duringOutage.statusCode()).isEqualTo(503);
        assertThat(duringOutage.headers().firstValue("Retry-After")).isPresent();
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        // no device can publish: the mqtt component is DOWN, and liveness stays UP (no restart would help)
        assertThat(http.get("/actuator/health").statusCode()).isEqualTo(503);
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        broker.restart();
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.connect(broker.uri(), TestDevices.OBSERVER,
                TestDevices.OBSERVER_PASSWORD, TestDevices.SHEEP_TOPIC)) {
            await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> post(http, "after").statusCode() == 200);

            assertThat(subscriber.awaitMessages(1, Duration.ofSeconds(5)).get(0).payloadAsString()).isEqualTo("after");
        }
        assertThat(http.get("/actuator/health").statusCode()).isEqualTo(200);
        String device = http.get(devicePath()).body();
        assertThat(device).contains("\"state\":\"CONNECTED\"");
        // the outage is over: its error stays as history, the problem is cleared
        assertThat(device).contains("\"lastError\":\"").doesNotContain("\"lastProblem\":\"");
    }

    private static String devicePath() {
        return TestDevices.devicePath(TestDevices.MOSHEEP);
    }

    private static HttpResponse<String> post(GatewayHttpClient http, String body) {
        return http.post(TestDevices.SHEEP_PATH, "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }
}
