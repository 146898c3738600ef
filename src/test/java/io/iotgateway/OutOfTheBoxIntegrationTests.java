package io.iotgateway;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.emulator.PlatformEmulator;
import io.iotgateway.emulator.ReceivedMessage;
import io.iotgateway.testsupport.GatewayHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as a newcomer runs it: no configuration at all. The embedded emulator starts, the demo device is
 * registered, and the README's curl example publishes through a signed login to the emulator.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutOfTheBoxIntegrationTests {

    private static final String DEMO_TOPIC = "/a61QmwQD5ZF/mosheep/user/sheep";

    private static final String DEMO_PATH = "/api/v1/devices/a61QmwQD5ZF/mosheep/user/sheep";

    private GatewayHttpClient http;

    @LocalServerPort
    int port;

    @Autowired
    PlatformEmulator emulator;

    @Autowired
    CredentialService credentials;

    @BeforeEach
    void client() {
        this.http = new GatewayHttpClient(this.port);
    }

    @BeforeEach
    void clearInbox() {
        this.emulator.inbox().clear();
    }

    @Test
    void readmeCurlExamplePublishesToTheEmulatorAsTheDemoDevice() throws Exception {
        // curl -d '{id:"0001",data:"hello world"}' .../api/v1/devices/a61QmwQD5ZF/mosheep/user/sheep
        byte[] body = "{id:\"0001\",data:\"hello world\"}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = this.http.post(DEMO_PATH, "application/x-www-form-urlencoded", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"topic\":\"" + DEMO_TOPIC + "\"", "\"status\":\"acknowledged\"",
                "\"productKey\":\"a61QmwQD5ZF\"", "\"qos\":1", "\"payloadBytes\":" + body.length, "\"publishedAt\":\"");
        // a JSON receipt with its length: written in one piece, not chunked
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Content-Length"))
            .hasValue(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        // written by the controller itself, and still with Spring Security's headers
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(value -> assertThat(value)
            .contains("no-store"));
        ReceivedMessage received = this.emulator.inbox()
            .awaitMessage(message -> message.topic().equals(DEMO_TOPIC), Duration.ofSeconds(10))
            .orElseThrow();
        assertThat(received.payload()).isEqualTo(body);
        assertThat(received.qos()).isEqualTo(1);
        assertThat(received.clientId()).startsWith("a61QmwQD5ZF.mosheep|securemode=3,signmethod=hmacsha1,timestamp=");
    }

    @Test
    void binaryQos0MessageArrivesUntouched() throws Exception {
        byte[] body = { 0, 1, 2, (byte) 0xff, (byte) 0xfe, '\n', '{' };

        HttpResponse<String> response = this.http.post(DEMO_PATH + "?qos=0", "application/octet-stream", body);

        assertThat(response.statusCode()).isEqualTo(202);
        ReceivedMessage received = this.emulator.inbox()
            .awaitMessage(message -> message.topic().equals(DEMO_TOPIC), Duration.ofSeconds(10))
            .orElseThrow();
        assertThat(received.payload()).isEqualTo(body);
        assertThat(received.qos()).isZero();
    }

    @Test
    void demoDeviceIsListedWithoutItsSecret() throws Exception {
        this.http.post(DEMO_PATH, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));
        String secret = this.credentials.find(new DeviceId("a61QmwQD5ZF", "mosheep")).orElseThrow().deviceSecret();

        HttpResponse<String> devices = this.http.get("/api/v1/devices");

        assertThat(devices.statusCode()).isEqualTo(200);
        assertThat(devices.body()).contains("\"deviceName\":\"mosheep\"", "\"state\":\"CONNECTED\"")
            .doesNotContain(secret);
    }

    @Test
    void startupWarnsThatThisIsAnEmulatorAndNeverLogsTheDemoSecret(CapturedOutput output) throws Exception {
        this.http.post(DEMO_PATH, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));
        String secret = this.credentials.find(new DeviceId("a61QmwQD5ZF", "mosheep")).orElseThrow().deviceSecret();

        assertThat(this.emulator.port()).isPositive().isNotEqualTo(1883);
        // the emulator logs what it received on its own thread, possibly after the gateway has answered
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(output.getAll()).contains("Emulator received on '" + DEMO_TOPIC + "'"));
        assertThat(output.getAll()).contains("EMULATOR of Alibaba Cloud IoT Platform", "demo device a61QmwQD5ZF/mosheep")
            .doesNotContain(secret);
    }

    @Test
    void metricsCarryNoPerDeviceMeters() throws Exception {
        this.http.post(DEMO_PATH, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> prometheus = this.http.get("/actuator/prometheus");

        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("gateway_publish_seconds_count").doesNotContain("mosheep");
    }

    @Test
    void prometheusShowsPublishAndConnectionMeters() throws Exception {
        this.http.post(DEMO_PATH, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> prometheus = this.http.get("/actuator/prometheus");

        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("gateway_publish_seconds_count{outcome=\"published\",qos=\"1\"}",
                "gateway_publish_seconds_bucket", "gateway_publish_payload_bytes_count{qos=\"1\"}",
                "gateway_connections{state=\"connected\"} 1.0", "gateway_connects_total{result=\"connected\"} 1.0");
    }

    @Test
    void openApiDescribesThePublishEndpointForTheExplorer() throws Exception {
        HttpResponse<String> apiDocs = this.http.get("/v3/api-docs");

        assertThat(apiDocs.statusCode()).isEqualTo(200);
        assertThat(apiDocs.body()).contains("/api/v1/devices/{productKey}/{deviceName}/user/{topic}",
                "/api/v1/devices/{productKey}/{deviceName}", "\"/api/v1/devices\"", "\"name\":\"qos\"",
                "\"in\":\"query\"", "application/octet-stream", "\"format\":\"binary\"", "application/problem+json",
                "\"502\"", "\"503\"", "\"504\"", "\"413\"", "a61QmwQD5ZF", "#/components/schemas/PublishReceipt",
                "\"publishedAt\"", "\"name\":\"Idempotency-Key\"", "\"in\":\"header\"",
                "\"tags\":[\"Messages\"]");
        assertThat(this.http.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    @Test
    void swaggerTryItOutRequestPublishes() throws Exception {
        // what the explorer sends by default: its example values and the first listed content type
        HttpResponse<String> response = this.http.post(DEMO_PATH + "?qos=1", "application/octet-stream",
                "hello from the explorer".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(this.emulator.inbox()
            .awaitMessage(message -> message.payloadAsString().equals("hello from the explorer"),
                    Duration.ofSeconds(10)))
            .isPresent();
    }
}
