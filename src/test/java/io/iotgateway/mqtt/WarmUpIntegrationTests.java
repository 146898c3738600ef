package io.iotgateway.mqtt;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the warm-up works through the devices at the connect rate, a request for a device it has not reached yet
 * logs that device in at once: the background leaves a fifth of the rate to requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WarmUpIntegrationTests {

    private static final int DEVICES = 100;

    @LocalServerPort
    int port;

    @Autowired
    DevicePublisher publisher;

    @DynamicPropertySource
    static void devices(DynamicPropertyRegistry registry) {
        registry.add("gateway.mqtt.warm-up", () -> "true");
        // the warm-up takes about 12 s at 8 of these 10 per second
        registry.add("gateway.mqtt.max-connects-per-second", () -> "10");
        TestDevices.registerNumbered(registry, "flock", DEVICES);
    }

    @Test
    void aRequestForADeviceTheWarmUpHasNotReachedLogsItInAtOnce() throws Exception {
        String last = "flock" + (DEVICES - 1);
        assertThat(this.publisher.status(new DeviceId("a61QmwQD5ZF", last)).state())
            .isEqualTo(ConnectionState.IDLE);

        HttpResponse<String> answer = new GatewayHttpClient(this.port).withTimeout(Duration.ofSeconds(10))
            .post("/api/v1/devices/a61QmwQD5ZF/" + last + "/user/count", null, "1");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        long connected = this.publisher.statuses()
            .stream()
            .filter(status -> status.state() == ConnectionState.CONNECTED)
            .count();
        assertThat(connected).as("the warm-up is still under way").isLessThan(DEVICES);
    }
}
