package io.iotgateway.message;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.iotgateway.emulator.EmulatorInbox;
import io.iotgateway.testsupport.GatewayHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries with an {@code Idempotency-Key} publish once, against the embedded emulator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "gateway.emulator.demo-device.device-name=idemsheep")
class IdempotencyIntegrationTests {

    private static final String PATH = "/api/v1/devices/a61QmwQD5ZF/idemsheep/user/sheep";

    private GatewayHttpClient http;

    @LocalServerPort
    int port;

    @Autowired
    EmulatorInbox inbox;

    @BeforeEach
    void client() {
        this.http = new GatewayHttpClient(this.port);
    }

    @BeforeEach
    void clearInbox() {
        this.inbox.clear();
    }

    @Test
    void aRetriedRequestGetsTheFirstAnswerAndPublishesOnce() throws Exception {
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = post(key, "baa");
        HttpResponse<String> retry = post(key, "baa");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertPublished("baa", 1);
    }

    @Test
    void concurrentDuplicatesJoinTheFirstAndPublishOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        List<Callable<HttpResponse<String>>> duplicates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            duplicates.add(() -> post(key, "concurrent"));
        }

        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<HttpResponse<String>> answer : executor.invokeAll(duplicates)) {
                answers.add(answer.get());
            }
        }

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(answers).extracting(HttpResponse::body).containsOnly(answers.get(0).body());
        assertPublished("concurrent", 1);
    }

    @Test
    void aKeyReusedForAnotherMessageIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        post(key, "one");

        HttpResponse<String> reuse = post(key, "two");

        assertThat(reuse.statusCode()).isEqualTo(422);
        assertThat(reuse.body()).contains("urn:iot-gateway:problem:idempotency-key-reused");
        assertPublished("two", 0);
    }

    @Test
    void aMalformedKeyIsRefused() throws Exception {
        HttpResponse<String> response = post("x".repeat(256), "baa");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Idempotency-Key");
    }

    @Test
    void requestsWithoutAKeyAlwaysPublish() throws Exception {
        post(null, "nokey");
        post(null, "nokey");

        assertPublished("nokey", 2);
    }

    /** The emulator records asynchronously, just after its PUBACK: the count must reach and hold its value. */
    private void assertPublished(String payload, long times) {
        await().atMost(Duration.ofSeconds(5))
            .during(Duration.ofMillis(300))
            .until(() -> this.inbox.messages()
                .stream()
                .filter(message -> message.payloadAsString().equals(payload))
                .count(), count -> count == times);
    }

    private HttpResponse<String> post(String key, String body) {
        return (key != null) ? this.http.post(PATH, "text/plain", body, "Idempotency-Key", key)
                : this.http.post(PATH, "text/plain", body);
    }
}
