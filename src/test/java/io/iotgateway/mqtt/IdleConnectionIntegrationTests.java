package io.iotgateway.mqtt;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.iotgateway.emulator.EmulatorInbox;
import io.iotgateway.testsupport.GatewayHttpClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An unused device connection is closed after the idle timeout and reopened by the next message, which succeeds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "gateway.mqtt.idle-timeout=2s")
class IdleConnectionIntegrationTests {

    private static final String DEVICE = "/api/v1/devices/a61QmwQD5ZF/mosheep";

    @LocalServerPort
    int port;

    @Autowired
    EmulatorInbox inbox;

    @Test
    void idleConnectionIsClosedAndReopenedOnDemand() throws InterruptedException {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        assertThat(post(http, "first").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> http.get(DEVICE).body().contains("\"state\":\"IDLE\""));
        HttpResponse<String> afterIdle = post(http, "second");

        assertThat(afterIdle.statusCode()).isEqualTo(200);
        assertThat(this.inbox.awaitMessage(message -> message.payloadAsString().equals("second"), Duration.ofSeconds(5)))
            .isPresent();
        assertThat(http.get(DEVICE).body()).contains("\"state\":\"CONNECTED\"");
    }

    private static HttpResponse<String> post(GatewayHttpClient http, String body) {
        return http.post(DEVICE + "/user/sheep", "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }
}
