package io.iotgateway.registry;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.iotgateway.emulator.EmulatorInbox;
import io.iotgateway.emulator.ReceivedMessage;
import io.iotgateway.testsupport.GatewayHttpClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;
import static org.awaitility.Awaitility.await;

/**
 * Secrets rotated, then the device removed, while messages flow: the embedded emulator checks every login against
 * the registry, so a message can only succeed over a connection signed with a secret the registry held. Every
 * message is either delivered (2xx and in the emulator's inbox) or answered with a problem, never lost silently;
 * after each rotation messages flow again; after the removal every new request gets 404.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecretRotationIntegrationTests {

    private static final String DEVICE = "/api/v1/admin/devices/fl0w1ngPk01/sheep-0001";

    private static final String TOPIC_PATH = "/api/v1/devices/fl0w1ngPk01/sheep-0001/user/flow";

    private static final Path dataDir = DeviceAdminIntegrationTests.temporaryDirectory();

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private final AtomicBoolean flowing = new AtomicBoolean(true);

    @LocalServerPort
    int port;

    @Autowired
    EmulatorInbox inbox;

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry registry) {
        registry.add("gateway.data-dir", dataDir::toString);
        registry.add("gateway.emulator.received-log-size", () -> "1000000");
        // six logins within a minute (one per rotation): more than the platform's five per device and minute
        registry.add("gateway.mqtt.max-connects-per-minute", () -> "20");
    }

    @Test
    void everyMessageIsDeliveredOrAnsweredWhileSecretsRotateAndTheDeviceIsRemoved() throws Exception {
        GatewayHttpClient admin = client();
        assertThat(admin.put(DEVICE, APPLICATION_JSON_VALUE, secret()).statusCode()).isEqualTo(201);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int sender = 0; sender < 8; sender++) {
                int id = sender;
                senders.execute(() -> send(id));
            }
            rotateThenRemove(admin);
        }
        assertAnsweredOrDelivered();
    }

    private void rotateThenRemove(GatewayHttpClient admin) {
        try {
            for (int rotation = 0; rotation < 5; rotation++) {
                awaitDeliveriesAfter(this.sent.size());
                assertThat(admin.put(DEVICE, APPLICATION_JSON_VALUE, secret()).statusCode()).isEqualTo(200);
            }
            awaitDeliveriesAfter(this.sent.size());
            assertThat(admin.delete(DEVICE).statusCode()).isEqualTo(204);
            long removedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> startedAfter(removedAt).size() >= 20);
            this.flowing.set(false);
            assertThat(startedAfter(removedAt)).extracting(Sent::status).containsOnly(404);
        }
        finally {
            // also when an assertion fails: the senders must stop, or closing their executor waits for ever
            this.flowing.set(false);
        }
    }

    private void assertAnsweredOrDelivered() {
        Set<String> delivered = this.sent.stream().filter(Sent::delivered).map(Sent::payload).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                this.inbox.messages().stream().map(ReceivedMessage::payloadAsString).collect(Collectors.toSet()))
            .containsAll(delivered));
        // 429: the per-device rate limit. Answered, not lost.
        assertThat(this.sent).filteredOn(message -> !message.delivered()).allSatisfy(message -> {
            assertThat(message.status()).isIn(404, 429, 502, 503, 504);
            assertThat(message.contentType()).isEqualTo("application/problem+json");
        });
        assertThat(delivered).as("ten after each rotation").hasSizeGreaterThanOrEqualTo(6 * 10);
    }

    private void send(int sender) {
        GatewayHttpClient http = client();
        for (int sequence = 0; this.flowing.get(); sequence++) {
            String payload = "sender-" + sender + "-message-" + sequence;
            long startedAt = System.nanoTime();
            HttpResponse<String> response = http.post(TOPIC_PATH, "text/plain", payload);
            this.sent.add(new Sent(payload, startedAt, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("")));
        }
    }

    /** Waits for ten messages sent after the mark to be acknowledged: the device works again. */
    private void awaitDeliveriesAfter(int mark) {
        await().atMost(Duration.ofSeconds(20))
            .until(() -> {
                List<Sent> snapshot = List.copyOf(this.sent);
                return snapshot.subList(mark, snapshot.size()).stream().filter(Sent::delivered).count() >= 10;
            });
    }

    private List<Sent> startedAfter(long nanoTime) {
        return this.sent.stream().filter(message -> message.startedAt() > nanoTime).toList();
    }

    private GatewayHttpClient client() {
        return new GatewayHttpClient(this.port).withTimeout(Duration.ofSeconds(60));
    }

    private static String secret() {
        return DeviceAdminIntegrationTests.secretBody(AliyunBatchCsv.newSecret(), null);
    }

    /**
     * One message and its answer.
     *
     * @param payload the unique body
     * @param startedAt when the request started ({@link System#nanoTime()})
     * @param status the HTTP status
     * @param contentType the answer's content type
     */
    record Sent(String payload, long startedAt, int status, String contentType) {

        boolean delivered() {
            return this.status == 200;
        }
    }
}
