package io.iotgateway.thing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.MosquittoConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code gateway.thing.subscribe-at-login}: the listed products' devices subscribe to their reply topics when they
 * log in (here: the warm-up's login), before any post, and their first post subscribes no more; other products'
 * devices subscribe to nothing. The evidence is mosquitto's own packet log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SubscribeAtLoginIntegrationTests {

    // anonymous: the gateway signs with the real clock; debug: every SUBSCRIBE in the broker's log
    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension
        .of(() -> MosquittoConfig.anonymous().withDebugLog());

    private static final String THING_DEVICE = "a61QmwQD5ZF.thingsheep";

    private static final String PLAIN_DEVICE = "b72RnxRE6AG.plaingoat";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", broker::uri);
        registry.add("gateway.security.open", () -> "true");
        registry.add("gateway.thing.subscribe-at-login", () -> "a61QmwQD5ZF");
        // off for the tests in general (config/application.properties): the login here is the warm-up's
        registry.add("gateway.mqtt.warm-up", () -> "true");
        List<String> devices = List.of(THING_DEVICE, PLAIN_DEVICE);
        for (int i = 0; i < devices.size(); i++) {
            String[] id = devices.get(i).split("\\.");
            registry.add("gateway.devices[" + i + "].product-key", () -> id[0]);
            registry.add("gateway.devices[" + i + "].device-name", () -> id[1]);
            registry.add("gateway.devices[" + i + "].device-secret", () -> "secret-of-" + id[1]);
        }
    }

    @Test
    void theListedProductsDevicesSubscribeWhenTheyLogInAndNoOtherDoes() {
        await().atMost(Duration.ofSeconds(30)).until(() -> loggedIn(THING_DEVICE) && loggedIn(PLAIN_DEVICE)
                && subscribes(THING_DEVICE).size() == 1);
        assertThat(broker.log()).contains("/sys/a61QmwQD5ZF/thingsheep/thing/event/+/post_reply");

        HttpResponse<String> post = new GatewayHttpClient(this.port)
            .post("/api/v1/devices/a61QmwQD5ZF/thingsheep/properties?ack=0", "application/json", "{\"humidity\": 40}");

        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(subscribes(THING_DEVICE)).as("the post found the subscription made").hasSize(1);
        assertThat(subscribes(PLAIN_DEVICE)).isEmpty();
    }

    private static boolean loggedIn(String clientIdPrefix) {
        return broker.log().lines().anyMatch(line -> line.contains("New client connected")
                && line.contains(" as " + clientIdPrefix + "|"));
    }

    private static List<String> subscribes(String clientIdPrefix) {
        return broker.log()
            .lines()
            .filter(line -> line.contains("Received SUBSCRIBE from " + clientIdPrefix + "|"))
            .toList();
    }
}
