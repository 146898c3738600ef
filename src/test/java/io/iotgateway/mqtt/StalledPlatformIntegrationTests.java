package io.iotgateway.mqtt;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.iotgateway.testsupport.ClassResource;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.StallingBroker;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @RegisterExtension
    static final ClassResource<StallingBroker> noPuback = stalling(StallingBroker.Mode.NO_PUBACK);

    @RegisterExtension
    static final ClassResource<StallingBroker> noConnack = stalling(StallingBroker.Mode.NO_CONNACK);

    @RegisterExtension
    static final ClassResource<StallingBroker> slowOnce = stalling(StallingBroker.Mode.FIRST_CONNECT_STALLS);

    private static ClassResource<StallingBroker> stalling(StallingBroker.Mode mode) {
        return ClassResource.of(() -> StallingBroker.start(mode));
    }

    static void assertTimesOutWith504(int port, String expectedDetail) {
        GatewayHttpClient http = new GatewayHttpClient(port);

        Instant start = Instant.now();
        HttpResponse<String> response = http.post(TestDevices.SHEEP_PATH, "text/plain",
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
            String device = http.get(TestDevices.devicePath(TestDevices.MOSHEEP)).body();
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
            registry.add("gateway.platform.endpoint", () -> noPuback.get().uri());
            registry.add("gateway.mqtt.completion-timeout", () -> "1s");
            TestDevices.register(registry);
        }

        @Test
        void qos1PublishAnswers504AndTheSilentConnectionIsReplaced() {
            awaitNotReconnecting(this.port);
            // connected first (QoS 0 needs no PUBACK), so that the publish below opens nothing itself
            int publishedEarlier = noPuback.get().publishCount();
            assertThat(new GatewayHttpClient(this.port).post(TestDevices.SHEEP_PATH + "?qos=0", "text/plain",
                    "baa".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(202);
            // a 202 is answered once the message is written: the broker may count it a moment later
            await().atMost(Duration.ofSeconds(5)).until(() -> noPuback.get().publishCount() > publishedEarlier);
            int publishedBefore = noPuback.get().publishCount();
            int connectionsBefore = noPuback.get().connectionCount();
            int openBefore = noPuback.get().openConnectionCount();

            assertTimesOutWith504(this.port, "no PUBACK");
            assertThat(noPuback.get().publishCount()).isEqualTo(publishedBefore + 1);
            // nothing at all arrived while the PUBACK was awaited: the connection is presumed dead and replaced
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(noPuback.get().connectionCount()).isEqualTo(connectionsBefore + 1);
                assertThat(noPuback.get().openConnectionCount()).isEqualTo(openBefore);
            });
        }

        @Test
        void qos0PublishNeedsNoAcknowledgement() {
            awaitNotReconnecting(this.port);
            HttpResponse<String> response = new GatewayHttpClient(this.port).post(TestDevices.SHEEP_PATH + "?qos=0",
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
            registry.add("gateway.platform.endpoint", () -> noConnack.get().uri());
            registry.add("gateway.mqtt.completion-timeout", () -> "1s");
            TestDevices.register(registry);
        }

        @Test
        void connectAnswers504AndLeavesNoStalledConnectionBehind() {
            assertTimesOutWith504(this.port, "did not answer the device's CONNECT");

            // the stalled socket is closed, so the broker sees no connection left open by the gateway
            await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(noConnack.get().openConnectionCount()).isZero());
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class WhenTheFirstConnackNeverComes {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void gatewayProperties(DynamicPropertyRegistry registry) {
            registry.add("gateway.platform.endpoint", () -> slowOnce.get().uri());
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
                HttpResponse<String> response = http.post(TestDevices.SHEEP_PATH, "text/plain",
                        "baa".getBytes(StandardCharsets.UTF_8));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            });
            assertThat(slowOnce.get().connectionCount()).isEqualTo(2);
            assertThat(slowOnce.get().publishCount()).isEqualTo(1);
        }
    }
}
