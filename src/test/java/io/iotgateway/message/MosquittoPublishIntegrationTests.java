package io.iotgateway.message;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.iotgateway.testsupport.TestDevices.SHEEP_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end against a real mosquitto process that checks each device's user name, signed password and topic ACL.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDevices.FixedTimestampSigning.class)
class MosquittoPublishIntegrationTests extends PublishScenario {

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension.of(TestDevices::brokerConfig);

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", broker::uri);
        registry.add("gateway.mqtt.credentials-rejected-backoff", () -> "60s");
        TestDevices.register(registry);
    }

    @Override
    String brokerUri() {
        return broker.uri();
    }

    @Test
    void concurrentFirstRequestsOpenExactlyOneConnection() throws Exception {
        String path = TestDevices.devicePath(TestDevices.HERD) + "/user/herd";
        List<Callable<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] body = ("sheep " + i).getBytes(StandardCharsets.UTF_8);
            requests.add(() -> this.http.post(path, "text/plain", body).statusCode());
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : executor.invokeAll(requests)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).containsOnly(200);
        assertThat(this.subscriber.awaitMessages(20, Duration.ofSeconds(10))).hasSize(20);
        assertThat(connectionsOf(TestDevices.HERD)).isEqualTo(1);
    }

    @Test
    void sequentialMessagesOfOneDeviceArriveInOrder() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String body = "message " + i;
            sent.add(body);
            int qos = i % 2;
            assertThat(this.http.post(SHEEP_PATH + "?qos=" + qos, "text/plain", body.getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo((qos == 1) ? 200 : 202);
        }

        assertThat(this.subscriber.awaitMessages(50, Duration.ofSeconds(10)))
            .extracting(received -> received.payloadAsString())
            .containsExactlyElementsOf(sent);
    }

    @Test
    void refusedCredentialsAnswer502AndAreNotRetriedInALoop() {
        String path = TestDevices.devicePath(TestDevices.WRONG_SECRET) + "/user/sheep";

        HttpResponse<String> first = this.http.post(path, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));
        long refusedAfterFirst = refusedLogins();
        HttpResponse<String> second = this.http.post(path, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));

        for (HttpResponse<String> response : List.of(first, second)) {
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).contains("urn:iot-gateway:problem:credentials-rejected", "CONNACK");
        }
        assertThat(refusedAfterFirst).isEqualTo(1);
        assertThat(refusedLogins()).isEqualTo(1);
        assertThat(this.http.get(TestDevices.devicePath(TestDevices.WRONG_SECRET))
            .body()).contains("\"state\":\"FAILED\"", "credentials-rejected");
        assertThat(this.http.get("/actuator/health").body()).contains("\"mqtt\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "/user/sheep?qos=2 | 400 | invalid-qos", "/user/sheep?qos=x | 400 | invalid-qos",
            "/user/sheep?qos=1&qos=0 | 400 | invalid-request", "/user/ | 400 | invalid-topic",
            "/user/a/+/b | 400 | invalid-topic", "/user/%23 | 400 | invalid-topic",
            "/user/a/b/c/d/e | 400 | invalid-topic", "/user/sh%20eep | 400 | invalid-topic" })
    void badRequestsGetTheirProblemAndReachNoBroker(String suffix, int status, String problem) {
        HttpResponse<String> response = this.http.post(TestDevices.devicePath(TestDevices.MOSHEEP) + suffix,
                "text/plain", "x".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("urn:iot-gateway:problem:" + problem);
        assertThat(this.subscriber.messages()).isEmpty();
    }

    @Test
    void unknownDeviceAnswers404() {
        HttpResponse<String> response = this.http.post(TestDevices.devicePath("nosuchsheep") + "/user/sheep",
                "text/plain", "x".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("urn:iot-gateway:problem:unknown-device", "nosuchsheep");
        assertThat(this.http.get(TestDevices.devicePath("nosuchsheep")).statusCode()).isEqualTo(404);
    }

    @Test
    void payloadOverTheLimitAnswers413WhetherDeclaredOrChunked() {
        byte[] body = new byte[256 * 1024 + 1];

        HttpResponse<String> declared = this.http.post(SHEEP_PATH, "application/octet-stream", body);
        // an InputStream publisher sends no Content-Length: the body comes chunked
        HttpResponse<String> chunked = this.http.send(this.http.request(SHEEP_PATH)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("urn:iot-gateway:problem:payload-too-large");
        assertThat(this.subscriber.messages()).isEmpty();
    }

    @Test
    void devicesListShowsConnectionStateAndNoSecret() {
        this.http.post(SHEEP_PATH, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> list = this.http.get("/api/v1/devices");
        HttpResponse<String> one = this.http.get(TestDevices.devicePath(TestDevices.MOSHEEP));

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"deviceName\":\"" + TestDevices.HERD + "\"",
                "\"deviceName\":\"" + TestDevices.WRONG_SECRET + "\"");
        assertThat(one.body()).contains("\"productKey\":\"" + TestDevices.PRODUCT_KEY + "\"",
                "\"state\":\"CONNECTED\"", "\"lastConnectedAt\"");
        for (HttpResponse<String> response : List.of(list, one, this.http.get("/actuator/health"))) {
            assertThat(response.body()).doesNotContain(TestDevices.SECRET, "not-the-secret",
                    TestDevices.expectedPassword(TestDevices.MOSHEEP));
        }
    }

    @Test
    void healthCountsConnectionsAndProbesStayUpWithAFailedDevice() {
        this.http.post(SHEEP_PATH, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));
        this.http.post(TestDevices.devicePath(TestDevices.WRONG_SECRET) + "/user/sheep",
                "text/plain", "baa".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> health = this.http.get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"mqtt\"", "\"connected\":", "\"failed\":", "\"connecting\":",
                TestDevices.PRODUCT_KEY + "/" + TestDevices.WRONG_SECRET);
        assertThat(this.http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(this.http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void logsNeverShowSecretsOrSignedPasswords(CapturedOutput output) {
        this.http.post(SHEEP_PATH, "text/plain", "baa".getBytes(StandardCharsets.UTF_8));
        this.http.post(TestDevices.devicePath(TestDevices.WRONG_SECRET) + "/user/sheep",
                "text/plain", "baa".getBytes(StandardCharsets.UTF_8));

        assertThat(output.getAll()).contains(TestDevices.PRODUCT_KEY)
            .doesNotContain(TestDevices.SECRET, "not-the-secret", TestDevices.expectedPassword(TestDevices.MOSHEEP),
                    TestDevices.expectedPassword(TestDevices.HERD));
    }

    /** Logins the broker accepted for the device. */
    private static long connectionsOf(String deviceName) {
        return countLogLines("New client connected .* as " + Pattern.quote(TestDevices.PRODUCT_KEY + "." + deviceName));
    }

    /** Logins the broker refused; mosquitto logs them as "Client <unknown>", and only one device is refused here. */
    private static long refusedLogins() {
        return countLogLines("disconnected, not authori[sz]ed");
    }

    private static long countLogLines(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return broker.log().lines().filter(line -> pattern.matcher(line).find()).count();
    }
}
