package io.iotgateway.mqtt;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.iotgateway.testsupport.ClassResource;
import io.iotgateway.testsupport.FaultProxy;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.MqttTestSubscriber;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Network faults between the gateway and the platform, injected by a TCP proxy: a black-hole partition (every
 * byte silently dropped, no socket error on either side) and connections reset under the gateway.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDevices.FixedTimestampSigning.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIntegrationTests {

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension.of(TestDevices::brokerConfig);

    @RegisterExtension
    static final ClassResource<FaultProxy> proxy = ClassResource.of(FaultInjectionIntegrationTests::startProxy);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration BOUND = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", () -> proxy.get().uri());
        registry.add("gateway.mqtt.completion-timeout", () -> "1s");
        registry.add("gateway.mqtt.reconnect-backoff", () -> "200ms");
        registry.add("gateway.mqtt.reconnect-backoff-max", () -> "1s");
        registry.add("gateway.mqtt.max-connects-per-minute", () -> "30");
        TestDevices.register(registry);
    }

    private static FaultProxy startProxy() {
        URI upstream = URI.create(broker.uri());
        return FaultProxy.start(upstream.getHost(), upstream.getPort());
    }

    @Test
    @Order(1)
    void aBlackHoleIsFoundByTheMissingPubackAndLaterRequestsFailFastWithoutPublishing() throws Exception {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.connect(broker.uri(), TestDevices.OBSERVER,
                TestDevices.OBSERVER_PASSWORD, TestDevices.SHEEP_TOPIC)) {
            assertThat(post(http, "before").statusCode()).isEqualTo(200);

            proxy.get().blackHole();
            try {
                duringTheBlackHole(http);
            }
            finally {
                proxy.get().heal();
            }

            await().atMost(BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> post(http, "after").statusCode() == 200);
            assertThat(http.get("/actuator/health").statusCode()).isEqualTo(200);
            // every 200 arrived; no message answered 503 was ever published
            await().atMost(BOUND).until(() -> received(subscriber).containsAll(Set.of("before", "after")));
            Thread.sleep(500);
            assertThat(received(subscriber)).noneMatch(payload -> payload.startsWith("during-"));
        }
    }

    private static void duringTheBlackHole(GatewayHttpClient http) throws InterruptedException {
        HttpResponse<String> inFlight = post(http, "in-flight");

        // no PUBACK, and nothing else arrived either: the connection is presumed dead
        assertThat(inFlight.statusCode()).isEqualTo(504);
        List<HttpResponse<String>> during = new ArrayList<>();
        Instant until = Instant.now().plusSeconds(3);
        int n = 0;
        while (Instant.now().isBefore(until)) {
            long start = System.nanoTime();
            HttpResponse<String> answer = post(http, "during-" + n++);
            during.add(answer);
            // fast: nothing waits for a dead connection's PUBACK
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
            Thread.sleep(100);
        }
        assertThat(during).isNotEmpty().allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        });
        assertThat(http.get("/actuator/health").statusCode()).isEqualTo(503);
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aConnectionResetUnderTheGatewayIsReconnectedWithoutARequest() throws Exception {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        await().atMost(BOUND).until(() -> post(http, "ready").statusCode() == 200);
        Instant droppedAt = Instant.now();

        proxy.get().dropConnections();

        await().atMost(BOUND).untilAsserted(() -> {
        JsonNode connection = JSON.readTree(http.get(devicePath()).body()).get("connection");
        assertThat(connection.get("state").asString()).isEqualTo("CONNECTED");
        assertThat(Instant.parse(connection.get("lastConnectedAt").asString())).isAfter(droppedAt);
        });
    }

    private static Set<String> received(MqttTestSubscriber subscriber) {
        return subscriber.messages().stream().map(MqttTestSubscriber.Received::payloadAsString)
            .collect(Collectors.toSet());
    }

    private static String devicePath() {
        return TestDevices.devicePath(TestDevices.MOSHEEP);
    }

    private static HttpResponse<String> post(GatewayHttpClient http, String body) {
        return http.post(TestDevices.SHEEP_PATH, "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }
}
