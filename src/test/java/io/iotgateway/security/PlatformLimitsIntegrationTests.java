package io.iotgateway.security;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.iotgateway.emulator.ReceivedMessage;
import io.iotgateway.testsupport.GatewayHttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst for one device gets no more through than the platform takes per second; the rest is refused with 429
 * and {@code Retry-After}, and the broker receives exactly what was answered with success.
 */
class PlatformLimitsIntegrationTests extends ApiKeyGatewayTests {

    @ParameterizedTest(name = "QoS {0}: 100 at once, {1} per second")
    @CsvSource({ "1, 10, 200", "0, 30, 202" })
    void burstOfOneHundredGetsTheLimitThroughAndTheRest429(int qos, int limit, int success) throws Exception {
        String path = "/api/v1/devices/" + ApiTestClients.PRODUCT + "/" + BURST_DEVICE + "/user/burst" + qos
                + "?qos=" + qos;
        GatewayHttpClient http = new GatewayHttpClient(this.port).withHeaders("X-API-Key", ApiTestClients.FLEET_KEY);
        List<Callable<Answer>> burst = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String body = "burst " + qos + " " + i;
            burst.add(() -> new Answer(body, http.post(path, "text/plain", body)));
        }

        long start = System.nanoTime();
        List<Answer> answers = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Answer> answer : senders.invokeAll(burst)) {
                answers.add(answer.get());
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

        List<Answer> published = answers.stream().filter(answer -> answer.response.statusCode() == success).toList();
        List<Answer> limited = answers.stream().filter(answer -> answer.response.statusCode() == 429).toList();
        assertThat(published.size() + limited.size()).as("only successes and 429").isEqualTo(100);
        // at most the limit within any one second: exactly the limit when the burst fits into a second
        assertThat(published).hasSizeBetween(limit, limit * (int) (seconds + 1));
        if (seconds == 0) {
            assertThat(published).hasSize(limit);
        }
        assertThat(limited).allSatisfy(answer -> {
            assertThat(answer.response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(answer.response.body()).contains("urn:iot-gateway:problem:rate-limited",
                    "\"retryAfterSeconds\":1", "\"device\":\"" + ApiTestClients.PRODUCT + "/" + BURST_DEVICE + "\"");
            assertThat(answer.response.headers().firstValue("Retry-After")).hasValue("1");
        });
        Set<String> expected = published.stream().map(Answer::body).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(10)).until(() -> received(qos).containsAll(expected));
        Thread.sleep(300);
        assertThat(received(qos)).as("what the broker received").isEqualTo(expected);
        assertThat(this.inbox.messages().stream().filter(m -> m.topic().endsWith("/burst" + qos)).count())
            .as("no duplicates").isEqualTo(expected.size());
    }

    private Set<String> received(int qos) {
        return this.inbox.messages()
            .stream()
            .filter(message -> message.topic().endsWith("/burst" + qos))
            .map(ReceivedMessage::payloadAsString)
            .collect(Collectors.toSet());
    }

    private record Answer(String body, HttpResponse<String> response) {
    }
}
