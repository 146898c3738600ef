package io.iotgateway.mqtt;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.TestDevices;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.iotgateway.testsupport.TestDevices.devicePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another client logs in as a device the gateway holds, and the broker closes the gateway's connection (the
 * platform allows one connection per device). The gateway says so, and does not log in again to kick the other
 * client back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDevices.FixedTimestampSigning.class)
class DeviceKickIntegrationTests {

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension.of(TestDevices::brokerConfig);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", broker::uri);
        registry.add("gateway.mqtt.kick-backoff", () -> "30s");
        TestDevices.register(registry);
    }

    @Test
    void kickedDeviceAnswers503AndLeavesTheOtherClientAlone() throws Exception {
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        assertThat(post(http, TestDevices.MOSHEEP).statusCode()).isEqualTo(200);
        assertThat(post(http, TestDevices.HERD).statusCode()).isEqualTo(200);

        MqttClient intruder = TestDevices.loginAs(broker.uri(), TestDevices.MOSHEEP);
        try {
            // the loss is seen at once and classified a second later: the other device stayed connected
            await().atMost(Duration.ofSeconds(10))
                .until(() -> http.get(devicePath(TestDevices.MOSHEEP)).body().contains("\"state\":\"FAILED\""));
            HttpResponse<String> whileKicked = post(http, TestDevices.MOSHEEP);

            assertThat(whileKicked.statusCode()).isEqualTo(503);
            assertThat(whileKicked.body()).contains("urn:iot-gateway:problem:device-kicked", "Another client");
            assertThat(whileKicked.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(20, 30));
            assertThat(intruder.isConnected()).isTrue();
            assertThat(http.get(devicePath(TestDevices.MOSHEEP)).body()).contains("\"state\":\"FAILED\"", "device-kicked");
            assertThat(http.get("/actuator/health").body()).contains("device-kicked");
            // the other device is untouched
            assertThat(post(http, TestDevices.HERD).statusCode()).isEqualTo(200);
        }
        finally {
            intruder.disconnect();
            intruder.close();
        }
    }

    private static HttpResponse<String> post(GatewayHttpClient http, String deviceName) {
        return http.post(devicePath(deviceName) + "/user/sheep", "text/plain", "baa".getBytes(StandardCharsets.UTF_8));
    }
}
