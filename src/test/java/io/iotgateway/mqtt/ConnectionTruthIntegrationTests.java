package io.iotgateway.mqtt;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.TestDevices;
import org.eclipse.paho.client.mqttv3.MqttClient;
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
 * What health and the devices API say about a connection is what the socket is, also for connections that no
 * request has used yet (the warm-up's): a kick is seen and classified as a kick within seconds, and a broker
 * restart is an outage, after which the devices are connected again without a request having to find out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDevices.FixedTimestampSigning.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionTruthIntegrationTests {

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension.of(TestDevices::brokerConfig);

    private static final Duration BOUND = Duration.ofSeconds(10);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", broker::uri);
        registry.add("gateway.mqtt.warm-up", () -> "true");
        TestDevices.register(registry);
    }

    @Test
    @Order(1)
    void afterABrokerRestartWarmDevicesReconnectWithoutARequestAndNoneIsTakenForKicked() {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        awaitState(http, TestDevices.MOSHEEP, "CONNECTED");
        awaitState(http, TestDevices.HERD, "CONNECTED");

        Instant restartedAt = Instant.now();

        broker.restart();

        // logged in again by the gateway itself: connected anew after the restart, no request sent
        awaitConnectedAgainAfter(http, restartedAt, BOUND);
        assertThat(http.get("/actuator/health").body()).doesNotContain("device-kicked");
        assertThat(http.get("/actuator/metrics/gateway.connections.kicks").body()).contains("\"value\":0.0");
        assertThat(post(http, TestDevices.MOSHEEP).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void afterATenSecondOutageTheDevicesAreBackSoonWithoutARequest() throws Exception {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        awaitState(http, TestDevices.MOSHEEP, "CONNECTED");
        awaitState(http, TestDevices.HERD, "CONNECTED");

        broker.kill();
        // refused TCP connections meanwhile: no CONNECT reaches the platform, none counts against its 5 a minute
        Thread.sleep(10_000);
        Instant restartedAt = Instant.now();
        broker.restart();

        // the back-off after 10 s of refusals is at most 1.2 + 2.4 + 4.8 + 9.6 s (jitter included)
        awaitConnectedAgainAfter(http, restartedAt, Duration.ofSeconds(15));
        assertThat(http.get("/actuator/health").body()).doesNotContain("device-kicked", "connect-limited");
    }

    @Test
    @Order(3)
    void aKickOfAWarmConnectionIsSeenAndClassifiedBeforeAnyRequest() throws Exception {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        awaitState(http, TestDevices.HERD, "CONNECTED");
        awaitState(http, TestDevices.MOSHEEP, "CONNECTED");

        MqttClient intruder = TestDevices.loginAs(broker.uri(), TestDevices.MOSHEEP);
        try {
            // within about a second: the socket is gone, and the other device stayed connected throughout
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(device(http, TestDevices.MOSHEEP))
                .contains("\"state\":\"FAILED\"", "device-kicked"));
            assertThat(http.get("/actuator/health").body()).contains("device-kicked");

            HttpResponse<String> whileKicked = post(http, TestDevices.MOSHEEP);

            assertThat(whileKicked.statusCode()).isEqualTo(503);
            assertThat(whileKicked.body()).contains("urn:iot-gateway:problem:device-kicked");
            // the gateway did not log in again behind the caller's back, kicking the other client
            assertThat(intruder.isConnected()).isTrue();
        }
        finally {
            intruder.disconnect();
            intruder.close();
        }
    }

    /** Both devices logged in anew since {@code instant}: by the gateway itself, no request was sent. */
    private static void awaitConnectedAgainAfter(GatewayHttpClient http, Instant instant, Duration bound) {
        await().atMost(bound).untilAsserted(() -> {
            for (String deviceName : new String[] { TestDevices.MOSHEEP, TestDevices.HERD }) {
                JsonNode connection = JSON.readTree(device(http, deviceName)).get("connection");
                assertThat(connection.get("state").asString()).isEqualTo("CONNECTED");
                assertThat(Instant.parse(connection.get("lastConnectedAt").asString())).isAfter(instant);
            }
        });
    }

    private static void awaitState(GatewayHttpClient http, String deviceName, String state) {
        await().atMost(BOUND).until(() -> device(http, deviceName).contains("\"state\":\"" + state + "\""));
    }

    private static String device(GatewayHttpClient http, String deviceName) {
        return http.get(TestDevices.devicePath(deviceName)).body();
    }

    private static HttpResponse<String> post(GatewayHttpClient http, String deviceName) {
        return http.post(TestDevices.devicePath(deviceName) + "/user/sheep", "text/plain",
                "baa".getBytes(StandardCharsets.UTF_8));
    }
}
