package io.iotgateway.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.MosquittoConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keep-alive seen on the wire: a device that stays idle after a message must send PINGREQ before the broker's
 * limit of 1.5 x keep-alive (MQTT 3.1.1 §3.1.2.10) and keep its connection, as the platform drops it otherwise
 * (issue 13 §4). The evidence is mosquitto's own packet log, not the gateway's view of itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// mostly waiting for the broker's clock: runs beside the rest of the suite (junit-platform.properties)
@Execution(ExecutionMode.CONCURRENT)
@Order(1)
class KeepAliveIntegrationTests {

    private static final String PRODUCT_KEY = "a61QmwQD5ZF";

    private static final Pattern LOGIN = Pattern.compile(" as (\\S+) \\(p\\d+, c\\d+, k(\\d+)");

    // anonymous: the gateway signs with the real clock; debug: the packet log with every PINGREQ
    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension
        .of(() -> MosquittoConfig.anonymous().withDebugLog());

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", broker::uri);
        registry.add("gateway.security.open", () -> "true");
        List<String> devices = List.of("pinger60", "pinger300");
        for (int i = 0; i < devices.size(); i++) {
            String deviceName = devices.get(i);
            registry.add("gateway.devices[" + i + "].product-key", () -> PRODUCT_KEY);
            registry.add("gateway.devices[" + i + "].device-name", () -> deviceName);
            registry.add("gateway.devices[" + i + "].device-secret", () -> "secret-of-" + deviceName);
        }
    }

    @Nested
    @TestPropertySource(properties = "gateway.mqtt.keep-alive=60s")
    @DirtiesContext
    class AtSixtySeconds extends IdleDevice {

        @Test
        void idleDeviceSendsPingreqAndKeepsItsConnection() throws Exception {
            assertPingsWhileIdle("pinger60", Duration.ofSeconds(60));
        }
    }

    /** The default keep-alive, 300 s: over five minutes of an idle device, beside the rest of the suite. */
    @Nested
    @DirtiesContext
    class AtTheDefault extends IdleDevice {

        @Test
        void idleDeviceSendsPingreqAndKeepsItsConnection() throws Exception {
            assertPingsWhileIdle("pinger300", Duration.ofSeconds(300));
        }
    }

    abstract static class IdleDevice {

        @LocalServerPort
        int port;

        void assertPingsWhileIdle(String deviceName, Duration keepAlive) throws Exception {
            assertThat(publish(deviceName)).as("first message").isEqualTo(200);
            String clientId = loggedInClientId(deviceName, keepAlive);

            // idle from here: Paho owes a PINGREQ one keep-alive after the PUBLISH, the broker drops it at 1.5 x
            Duration limit = keepAlive.multipliedBy(3).dividedBy(2);
            awaitQuietly(limit, () -> !pings(clientId).isEmpty() || !disconnects(clientId).isEmpty());
            if (pings(clientId).isEmpty()) {
                // for the failure message: the broker's own word that it dropped the silent client
                awaitQuietly(Duration.ofSeconds(30), () -> !disconnects(clientId).isEmpty());
            }

            assertThat(pings(clientId))
                .as("PINGREQ from %s within %s of idleness; the broker's lines for it:%n%s", clientId, limit,
                        String.join("\n", linesOf(clientId, "")))
                .isNotEmpty();
            assertThat(disconnects(clientId)).as("disconnects of %s", clientId).isEmpty();
            // the same connection carries the next message: no second login of the device
            assertThat(publish(deviceName)).as("message after the idle time").isEqualTo(200);
            assertThat(logins(deviceName)).as("logins of %s", deviceName).hasSize(1);
        }

        /** The device's one login so far, with the keep-alive the broker was told. */
        private String loggedInClientId(String deviceName, Duration keepAlive) {
            List<String> logins = logins(deviceName);
            assertThat(logins).as("logins of %s", deviceName).hasSize(1);
            Matcher login = LOGIN.matcher(logins.get(0));
            assertThat(login.find()).as("login line %s", logins.get(0)).isTrue();
            assertThat(login.group(2)).as("keep-alive in the CONNECT").isEqualTo(Long.toString(keepAlive.toSeconds()));
            return login.group(1);
        }

        private List<String> logins(String deviceName) {
            return broker.log()
                .lines()
                .filter(line -> line.contains("New client connected") && line.contains(" as " + PRODUCT_KEY + "."
                        + deviceName + "|"))
                .toList();
        }

        private static void awaitQuietly(Duration atMost, Callable<Boolean> condition) {
            try {
                await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(condition);
            }
            catch (ConditionTimeoutException ex) {
                // the assertions that follow say what the broker logged meanwhile
            }
        }

        private static List<String> pings(String clientId) {
            return linesOf(clientId, "Received PINGREQ from ");
        }

        private static List<String> disconnects(String clientId) {
            return linesOf(clientId, "").stream()
                .filter(line -> line.contains("exceeded timeout") || line.contains("disconnected")
                        || line.contains("closed its connection"))
                .toList();
        }

        private static List<String> linesOf(String clientId, String prefix) {
            return broker.log().lines().filter(line -> line.contains(prefix + clientId)).toList();
        }

        private int publish(String deviceName) {
            return new GatewayHttpClient(this.port).withTimeout(Duration.ofSeconds(20))
                .post("/api/v1/devices/" + PRODUCT_KEY + "/" + deviceName + "/user/ping", null, "idle soon")
                .statusCode();
        }
    }
}
