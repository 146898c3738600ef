package io.iotgateway.mqtt;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.iotgateway.testsupport.ClassResource;
import io.iotgateway.testsupport.EnabledIfNetworkNamespaces;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBroker;
import io.iotgateway.testsupport.NetworkNamespace;
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
 * The black-hole partition of issue 13 with a real network in between: the broker in a network namespace behind
 * a veth pair, its packets dropped by nftables. Unlike a proxy that forgets what it swallowed, TCP here resends
 * after the partition heals; the gateway's reset of the dead connection must keep the message it answered 504 from
 * being delivered minutes later, and nothing answered 503 may ever arrive.
 */
@EnabledIfNetworkNamespaces
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDevices.FixedTimestampSigning.class)
class NamespacedFaultIntegrationTests {

    @RegisterExtension
    static final ClassResource<NetworkNamespace> namespace = ClassResource.of(NetworkNamespace::create);

    // the packet log names every PUBLISH's topic: what reached the broker
    @RegisterExtension
    static final ClassResource<MosquittoBroker> broker = ClassResource
        .of(() -> namespace.get().startMosquitto(TestDevices.brokerConfig().withDebugLog()));

    private static final Duration BOUND = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", () -> broker.get().uri());
        registry.add("gateway.mqtt.completion-timeout", () -> "1s");
        registry.add("gateway.mqtt.reconnect-backoff", () -> "200ms");
        registry.add("gateway.mqtt.reconnect-backoff-max", () -> "1s");
        registry.add("gateway.mqtt.max-connects-per-minute", () -> "30");
        TestDevices.register(registry);
    }

    @Test
    void aPartitionIsFoundFastAndWhatWasNotAcknowledgedDoesNotArriveAfterItHeals() throws Exception {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        assertThat(post(http, "before").statusCode()).isEqualTo(200);

        namespace.get().blackHole();
        try {
            assertThat(post(http, "inflight").statusCode()).isEqualTo(504);
            Instant until = Instant.now().plusSeconds(3);
            for (int n = 0; Instant.now().isBefore(until); n++) {
                HttpResponse<String> answer = post(http, "during" + n);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                Thread.sleep(200);
            }
            assertThat(http.get("/actuator/health").statusCode()).isEqualTo(503);
        }
        finally {
            namespace.get().heal();
        }

        await().atMost(BOUND).pollInterval(Duration.ofMillis(250)).until(() -> post(http, "after").statusCode() == 200);
        await().atMost(BOUND).until(() -> received("after"));
        // TCP would have resent the unacknowledged PUBLISH by now; the reset discarded it
        Thread.sleep(3000);
        assertThat(received("before")).isTrue();
        assertThat(received("inflight")).as("the message answered 504 arrived after the partition").isFalse();
        assertThat(broker.get().log().lines().filter(line -> line.contains("/user/during"))).isEmpty();
    }

    private static boolean received(String topicLevel) {
        return broker.get().log().lines().anyMatch(line -> line.contains("Received PUBLISH") && line.contains("/user/"
                + topicLevel + "'"));
    }

    private static HttpResponse<String> post(GatewayHttpClient http, String topicLevel) {
        return http.post(TestDevices.devicePath(TestDevices.MOSHEEP) + "/user/" + topicLevel, "text/plain",
                topicLevel.getBytes(StandardCharsets.UTF_8));
    }
}
