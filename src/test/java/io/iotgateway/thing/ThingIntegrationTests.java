package io.iotgateway.thing;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.iotgateway.testsupport.ClassResource;
import io.iotgateway.testsupport.FaultProxy;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.MqttTestSubscriber;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.iotgateway.testsupport.TestDevices.MOSHEEP;
import static io.iotgateway.testsupport.TestDevices.PRODUCT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The thing-model posts end to end: the gateway against a real mosquitto (which checks the device's login and its
 * ACL), with {@link AlinkResponder} in the platform's place answering the requests with chosen codes, out of order,
 * or not at all, and a TCP proxy in between that can drop the gateway's connections.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDevices.FixedTimestampSigning.class)
class ThingIntegrationTests {

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension
        .of(() -> AlinkResponder.allow(TestDevices.brokerConfig()));

    @RegisterExtension
    static final ClassResource<FaultProxy> proxy = ClassResource.of(ThingIntegrationTests::startProxy);

    @RegisterExtension
    static final ClassResource<AlinkResponder> responder = ClassResource
        .of(() -> AlinkResponder.connect(broker.uri()));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String PROPERTIES = TestDevices.devicePath(MOSHEEP) + "/properties";

    private static final String PROPERTY_TOPIC = "/sys/" + PRODUCT_KEY + "/" + MOSHEEP + "/thing/event/property/post";

    private static final Duration BOUND = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    private GatewayHttpClient http;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", () -> proxy.get().uri());
        registry.add("gateway.thing.reply-timeout", () -> "1500ms");
        registry.add("gateway.message.max-payload", () -> "16KB");
        registry.add("gateway.mqtt.reconnect-backoff", () -> "200ms");
        registry.add("gateway.mqtt.reconnect-backoff-max", () -> "1s");
        registry.add("gateway.mqtt.max-connects-per-minute", () -> "30");
        TestDevices.register(registry);
    }

    private static FaultProxy startProxy() {
        URI upstream = URI.create(broker.uri());
        return FaultProxy.start(upstream.getHost(), upstream.getPort());
    }

    @BeforeEach
    void answerEverythingWith200() {
        this.http = new GatewayHttpClient(this.port);
        responder.get().answerWith(200);
    }

    @Test
    void aPropertyPostIsAnsweredWithThePlatformsReplyAndItsNumbersGoAsWritten() {
        HttpResponse<String> answer = postJson(PROPERTIES,
                "{\"temperature\": 1.0, \"humidity\": 40, \"power\": 1, \"mode\": 2, \"label\": {\"value\": \"barn 3\", "
                        + "\"time\": 1524448722000}}");

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode receipt = JSON.readTree(answer.body());
        assertThat(receipt.get("code").asInt()).isEqualTo(200);
        assertThat(receipt.get("status").asString()).isEqualTo("replied");
        assertThat(receipt.get("topic").asString()).isEqualTo(PROPERTY_TOPIC);
        assertThat(receipt.get("qos").asInt()).isEqualTo(1);
        assertThat(receipt.get("alinkId").asString()).matches("[0-9]{1,10}");
        assertThat(receipt.get("data").get("params").get("humidity").asInt()).isEqualTo(40);
        AlinkResponder.Request request = responder.get().received().getFirst();
        assertThat(request.topic()).isEqualTo(PROPERTY_TOPIC);
        assertThat(request.raw()).contains("\"params\":{\"temperature\":1.0,\"humidity\":40,\"power\":1,\"mode\":2,"
                + "\"label\":{\"value\":\"barn 3\",\"time\":1524448722000}}");
        assertThat(request.json().get("id").asString()).isEqualTo(receipt.get("alinkId").asString());
        assertThat(request.json().get("version").asString()).isEqualTo("1.0");
        assertThat(request.json().get("method").asString()).isEqualTo("thing.event.property.post");
        assertThat(request.json().get("sys").get("ack").asInt()).isEqualTo(1);
        assertThat(receipt.get("payloadBytes").asInt()).isEqualTo(request.raw().length());
    }

    @Test
    void anEventPostCarriesItsOutputParametersAsValueWithATime() {
        HttpResponse<String> answer = postJson(TestDevices.devicePath(MOSHEEP) + "/events/overheat",
                "{\"temperature\": 95.0}");

        assertThat(answer.statusCode()).isEqualTo(200);
        AlinkResponder.Request request = responder.get().received().getFirst();
        assertThat(request.topic()).isEqualTo("/sys/" + PRODUCT_KEY + "/" + MOSHEEP + "/thing/event/overheat/post");
        assertThat(request.json().get("method").asString()).isEqualTo("thing.event.overheat.post");
        assertThat(request.raw()).contains("\"params\":{\"value\":{\"temperature\":95.0},\"time\":");
        assertThat(request.json().get("params").get("time").asLong())
            .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
    }

    @ParameterizedTest
    @CsvSource({ "460, 422, thing-data-refused", "6813, 422, thing-data-refused", "429, 429, platform-throttled",
            "500, 502, platform-error" })
    void aRefusingReplyBecomesItsProblemWithThePlatformsCode(int code, int status, String problem) {
        responder.get().answerWith(code);

        HttpResponse<String> answer = postJson(PROPERTIES, "{\"temperature\": 200.0}");

        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("type").asString()).isEqualTo("urn:iot-gateway:problem:" + problem);
        assertThat(body.get("platformCode").asInt()).isEqualTo(code);
        assertThat(body.get("platformMessage").asString()).isEqualTo("refused by the test's responder");
        assertThat(body.get("alinkId").asString())
            .isEqualTo(responder.get().received().getFirst().json().get("id").asString());
        assertThat(answer.headers().firstValue("Retry-After").isPresent()).isEqualTo(code == 429);
    }

    @Test
    void noReplyInTimeIs504AndSaysThePubackCame() {
        responder.get().stayQuiet();
        long start = System.nanoTime();

        HttpResponse<String> answer = postJson(PROPERTIES, "{\"humidity\": 41}");

        assertThat(answer.statusCode()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1400),
                Duration.ofSeconds(10));
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("type").asString()).isEqualTo("urn:iot-gateway:problem:reply-timeout");
        assertThat(body.get("detail").asString()).contains("PUBACK", "may or may not have been accepted");
        assertThat(responder.get().received()).hasSize(1);
    }

    @Test
    void ackZeroAsksForNoReplyAndIsAnsweredAfterThePuback() {
        responder.get().stayQuiet();

        HttpResponse<String> answer = postJson(PROPERTIES + "?ack=0", "{\"humidity\": 42}");

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode receipt = JSON.readTree(answer.body());
        assertThat(receipt.get("status").asString()).isEqualTo("acknowledged");
        assertThat(receipt.get("code").isNull()).isTrue();
        await().atMost(BOUND).until(() -> !responder.get().received().isEmpty());
        assertThat(responder.get().received().getFirst().json().get("sys").get("ack").asInt()).isZero();
    }

    @Test
    void concurrentPostsOfOneDeviceEachGetTheirOwnReplyAlsoOutOfOrder() throws Exception {
        int count = 8;
        responder.get().answerInReverseOnceThereAre(count);
        List<Callable<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = "{\"humidity\": " + i + "}";
            posts.add(() -> postJson(PROPERTIES, body));
        }

        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<HttpResponse<String>> answer : executor.invokeAll(posts)) {
                answers.add(answer.get());
            }
        }

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertThat(answers.get(i).statusCode()).as(answers.get(i).body()).isEqualTo(200);
            JsonNode receipt = JSON.readTree(answers.get(i).body());
            assertThat(receipt.get("data").get("params").get("humidity").asInt()).as("the reply to its own request")
                .isEqualTo(i);
            ids.add(receipt.get("alinkId").asString());
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void afterTheConnectionDroppedTheSubscriptionIsBackAndPostsAreAnswered() {
        assertThat(postJson(PROPERTIES, "{\"humidity\": 1}").statusCode()).isEqualTo(200);
        String connectedAt = connection().get("lastConnectedAt").asString();

        proxy.get().dropConnections();

        await().atMost(BOUND)
            .until(() -> "CONNECTED".equals(connection().get("state").asString())
                    && !connectedAt.equals(connection().get("lastConnectedAt").asString()));
        HttpResponse<String> after = postJson(PROPERTIES, "{\"humidity\": 2}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(JSON.readTree(after.body()).get("data").get("params").get("humidity").asInt()).isEqualTo(2);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndPostsNothing() {
        HttpResponse<String> first = postJson(PROPERTIES, "{\"power\": 0}", "Idempotency-Key", "thing-key-1");
        HttpResponse<String> retry = postJson(PROPERTIES, "{\"power\": 0}", "Idempotency-Key", "thing-key-1");
        HttpResponse<String> other = postJson(PROPERTIES, "{\"power\": 1}", "Idempotency-Key", "thing-key-1");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(responder.get().received()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "/properties | text/plain | {\"humidity\": 1} | 415 | is not supported",
            "/properties | application/json | {\"humidity\": | 400 | urn:iot-gateway:problem:invalid-request",
            "/properties | application/json | [1] | 400 | urn:iot-gateway:problem:invalid-request",
            "/properties | application/json | {} | 400 | urn:iot-gateway:problem:invalid-request",
            "/properties | application/json | {\"hu-midity\": 1} | 400 | urn:iot-gateway:problem:invalid-identifier",
            "/properties?ack=2 | application/json | {\"humidity\": 1} | 400 | urn:iot-gateway:problem:invalid-request",
            "/properties?qos=0 | application/json | {\"humidity\": 1} | 400 | urn:iot-gateway:problem:invalid-request",
            "/events/over-heat | application/json | {} | 400 | urn:iot-gateway:problem:invalid-identifier",
            "/events/property | application/json | {} | 400 | urn:iot-gateway:problem:invalid-identifier" })
    void badRequestsAreRefusedBeforeAnythingIsPublished(String suffix, String contentType, String body, int status,
            String answered) {
        HttpResponse<String> answer = this.http.post(TestDevices.devicePath(MOSHEEP) + suffix, contentType, body);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains(answered);
        assertOnlyTheNextPostIsPublished();
    }

    @Test
    void anUnknownDeviceIs404AndATooLargeBody413() {
        HttpResponse<String> unknown = this.http.post(TestDevices.devicePath("nosuchsheep") + "/properties",
                "application/json", "{\"humidity\": 1}");
        HttpResponse<String> large = postJson(PROPERTIES, "{\"label\": \"" + "x".repeat(20_000) + "\"}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(large.statusCode()).isEqualTo(413);
        assertOnlyTheNextPostIsPublished();
    }

    /**
     * What was refused published nothing: a post made now is the first request the platform sees. (An assertion that
     * nothing arrived, made at once, would pass also when a stray publish is merely still on its way.)
     */
    private void assertOnlyTheNextPostIsPublished() {
        HttpResponse<String> next = postJson(PROPERTIES, "{\"humidity\": 1}");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(responder.get().received()).singleElement()
            .satisfies(request -> assertThat(request.raw()).contains("\"params\":{\"humidity\":1}"));
    }

    @Test
    void rawAlinkGoesToTheDevicesOwnSystemTopicUnchangedWithoutWaitingForAReply() throws Exception {
        responder.get().stayQuiet();
        String alink = "{\"id\":\"123\",\"version\":\"1.0\",\"sys\":{\"ack\":0},"
                + "\"params\":{\"temperature\":{\"value\":23.60,\"time\":1524448722000}},"
                + "\"method\":\"thing.event.property.post\"}";

        HttpResponse<String> answer = postJson(TestDevices.devicePath(MOSHEEP) + "/sys/thing/event/property/post",
                alink);
        HttpResponse<String> notThing = postJson(TestDevices.devicePath(MOSHEEP) + "/sys/rrpc/response/1", alink);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("topic").asString()).isEqualTo(PROPERTY_TOPIC);
        await().atMost(BOUND).until(() -> !responder.get().received().isEmpty());
        assertThat(responder.get().received().getFirst().raw()).isEqualTo(alink);
        assertThat(notThing.statusCode()).isEqualTo(400);
        assertThat(notThing.body()).contains("urn:iot-gateway:problem:invalid-topic");
    }

    @Test
    void theOpenApiDescriptionHasBothEndpointsWithTheirExamples() {
        HttpResponse<String> apiDocs = this.http.get("/v3/api-docs");

        assertThat(apiDocs.statusCode()).isEqualTo(200);
        JsonNode paths = JSON.readTree(apiDocs.body()).get("paths");
        assertThat(paths.has("/api/v1/devices/{productKey}/{deviceName}/properties")).isTrue();
        assertThat(paths.has("/api/v1/devices/{productKey}/{deviceName}/events/{identifier}")).isTrue();
        assertThat(paths.has("/api/v1/devices/{productKey}/{deviceName}/sys/{topic}")).isTrue();
        assertThat(apiDocs.body()).contains("#/components/schemas/ThingReceipt", "\"tags\":[\"Thing model\"]",
                "thing-data-refused", "\"temperature\":95.0", "\"name\":\"ack\"");
    }

    private JsonNode connection() {
        return JSON.readTree(this.http.get(TestDevices.devicePath(MOSHEEP)).body()).get("connection");
    }

    private HttpResponse<String> postJson(String path, String body, String... headers) {
        return this.http.post(path, "application/json", body, headers);
    }
}
