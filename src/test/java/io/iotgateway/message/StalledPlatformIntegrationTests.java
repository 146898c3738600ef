package io.iotgateway.message;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.StallingBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker that accepts TCP but never answers: no request hangs; each gets 504 within the completion timeout.
 */
class StalledPlatformIntegrationTests {

    private static final StallingBroker NO_PUBACK = StallingBroker.start(StallingBroker.Mode.NO_PUBACK);

    private static final StallingBroker NO_CONNACK = StallingBroker.start(StallingBroker.Mode.NO_CONNACK);

    private static final StallingBroker SLOW_ONCE = StallingBroker.start(StallingBroker.Mode.FIRST_CONNECT_STALLS);

    @AfterAll
    static void closeBrokers() {
        NO_PUBACK.close();
        NO_CONNACK.close();
        SLOW_ONCE.close();
    }

    static void assertTimesOutWith504(int port, String expectedDetail) {
        GatewayHttpClient http = new GatewayHttpClient(port);

        Instant start = Instant.now();
        HttpResponse<String> response = http.post(PublishScenario.PATH, "text/plain",
                "baa".getBytes(StandardCharsets.UTF_8));
        Duration took = Duration.between(start, Instant.now());

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("urn:iot-gateway:problem:platform-timeout", expectedDetail);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(5));
    }

    /** The other test of the class may have left the device reconnecting its presumed dead connection. */
    private static void awaitNotReconnecting(int port) {
        GatewayHttpClient http = new GatewayHttpClient(port);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            String device = http.get("/api/v1/devices/" + TestDevices.PRODUCT_KEY + "/" + TestDevices.MOSHEEP).body();
            return device.contains("\"state\":\"CONNECTED\"") || device.contains("\"state\":\"IDLE\"");
        });
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class WhenPubackNeverComes {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void gatewayProperties(DynamicPropertyRegistry registry) {
            registry.add("gateway.platform.endpoint", NO_PUBACK::uri);
            registry.add("gateway.mqtt.completion-timeout", () -> "1s");
            TestDevices.register(registry);
        }

        @Test
        void qos1PublishAnswers504AndTheSilentConnectionIsReplaced() {
            awaitNotReconnecting(this.port);
            // connected first (QoS 0 needs no PUBACK), so that the publish below opens nothing itself
            assertThat(new GatewayHttpClient(this.port).post(PublishScenario.PATH + "?qos=0", "text/plain",
                    "baa".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(202);
            int publishedBefore = NO_PUBACK.publishCount();
            int connectionsBefore = NO_PUBACK.connectionCount();
            int openBefore = NO_PUBACK.openConnectionCount();

            assertTimesOutWith504(this.port, "no PUBACK");
            assertThat(NO_PUBACK.publishCount()).isEqualTo(publishedBefore + 1);
            // nothing at all arrived while the PUBACK was awaited: the connection is presumed dead and replaced
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(NO_PUBACK.connectionCount()).isEqualTo(connectionsBefore + 1);
                assertThat(NO_PUBACK.openConnectionCount()).isEqualTo(openBefore);
            });
        }

        @Test
        void qos0PublishNeedsNoAcknowledgement() {
            awaitNotReconnecting(this.port);
            HttpResponse<String> response = new GatewayHttpClient(this.port).post(PublishScenario.PATH + "?qos=0",
                    "text/plain", "baa".getBytes(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).isEqualTo(202);
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class WhenConnackNeverComes {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void gatewayProperties(DynamicPropertyRegistry registry) {
            registry.add("gateway.platform.endpoint", NO_CONNACK::uri);
            registry.add("gateway.mqtt.completion-timeout", () -> "1s");
            TestDevices.register(registry);
        }

        @Test
        void connectAnswers504AndLeavesNoStalledConnectionBehind() {
            assertTimesOutWith504(this.port, "did not answer the device's CONNECT");

            // the stalled socket is closed, so the broker sees no connection left open by the gateway
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(NO_CONNACK.openConnectionCount()).isZero());
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class WhenTheFirstConnackNeverComes {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void gatewayProperties(DynamicPropertyRegistry registry) {
            registry.add("gateway.platform.endpoint", SLOW_ONCE::uri);
            registry.add("gateway.mqtt.completion-timeout", () -> "1s");
            registry.add("gateway.mqtt.reconnect-backoff", () -> "200ms");
            TestDevices.register(registry);
        }

        @Test
        void deviceRecoversOnceThePlatformAnswers() {
            assertTimesOutWith504(this.port, "did not answer the device's CONNECT");
            GatewayHttpClient http = new GatewayHttpClient(this.port);

            // after the back-off the device logs in again on a fresh client and publishes; it must not stay stuck
            // on the client that the timed-out CONNECT left behind
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                HttpResponse<String> response = http.post(PublishScenario.PATH, "text/plain",
                        "baa".getBytes(StandardCharsets.UTF_8));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            });
            assertThat(SLOW_ONCE.connectionCount()).isEqualTo(2);
            assertThat(SLOW_ONCE.publishCount()).isEqualTo(1);
        }
    }
}
