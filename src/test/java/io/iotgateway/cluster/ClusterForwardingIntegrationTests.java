package io.iotgateway.cluster;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.iotgateway.GatewayApplication;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.testsupport.ClassResource;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBrokerExtension;
import io.iotgateway.testsupport.MosquittoConfig;
import io.iotgateway.testsupport.MqttTestSubscriber;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of forwarding and ownership, with two replicas as application contexts in this JVM on one
 * PostgreSQL database and a real mosquitto as platform: a request for a device that replica {@code a} owns, sent
 * to replica {@code b}, gets the owner's answer as it is (receipts and problems alike), while only {@code a}
 * holds the device's connection; callers are refused by the replica they reach, never forwarded; a forwarded
 * request is not forwarded again; idempotency answers follow the device to its next owner; a registry change made
 * on {@code b} reaches the connection on {@code a}. The replicas start once for the class; the test that stops
 * {@code a} runs last. Process-level failures (kill -9, rolling restarts, pauses) are tested with separate JVMs
 * elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class ClusterForwardingIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration BOUND = Duration.ofSeconds(10);

    private static final String PRODUCT = TestDevices.PRODUCT_KEY;

    // devices the broker knows; those whose partition replica a owns serve the tests (about half of them)
    private static final List<String> CANDIDATES = IntStream.range(0, 40).mapToObj(i -> "flock-" + i).toList();

    private static final Map<String, String> SECRETS = new LinkedHashMap<>();

    static {
        CANDIDATES.forEach(device -> SECRETS.put(device, InProcessCluster.newSecret()));
    }

    @RegisterExtension
    static final MosquittoBrokerExtension broker = MosquittoBrokerExtension
        .of(ClusterForwardingIntegrationTests::brokerRules);

    @RegisterExtension
    static final ClassResource<InProcessCluster> cluster = ClassResource.of(() -> InProcessCluster.start(
            List.of("a", "b"), broker.uri(),
            // the rate-limit test reaches its device's limit in a few requests
            "gateway.message.rate-limit.qos0-per-second=2",
            // only the relay of a removal, not the expiry of what a remembers, makes a forget a removed device
            "gateway.registry.known-device-ttl=10m"));

    private static MqttTestSubscriber observer;

    // devices of replica a, one (or two) per test, so that no test meets another's connection or rate limit
    private static String published;

    private static String refused;

    private static String rateLimited;

    private static String looped;

    private static String idempotent;

    private static String rekeyed;

    private static String removed;

    private static String unknown;

    @BeforeAll
    static void startReplicasAndRegisterDevicesOfReplicaA(CapturedOutput output) throws Exception {
        InProcessCluster replicas = cluster.get();
        // a, the first, was a cluster of lite members only until it took its share: nobody asked it for owners
        assertThat(output).as("the replicas' start").doesNotContain("No member group is available");
        List<String> ofA = CANDIDATES.stream()
            .filter(device -> replicas.ownerOf(DeviceId.parse(PRODUCT, device)).equals("a"))
            .toList();
        assertThat(ofA).as("devices of replica a among %s", CANDIDATES).hasSizeGreaterThanOrEqualTo(8);
        published = ofA.get(0);
        refused = ofA.get(1);
        rateLimited = ofA.get(2);
        looped = ofA.get(3);
        idempotent = ofA.get(4);
        rekeyed = ofA.get(5);
        removed = ofA.get(6);
        unknown = ofA.get(7);
        GatewayHttpClient admin = admin("b");
        for (String device : List.of(published, refused, rateLimited, looped, idempotent, rekeyed, removed)) {
            assertThat(admin.put(adminPath(device), "application/json", secretBody(SECRETS.get(device))).statusCode())
                .as("registered %s", device)
                .isEqualTo(201);
        }
        observer = MqttTestSubscriber.connect(broker.uri(), TestDevices.OBSERVER, TestDevices.OBSERVER_PASSWORD,
                "/" + PRODUCT + "/#");
    }

    @AfterAll
    static void closeObserver() {
        if (observer != null) {
            observer.close();
        }
    }

    @Test
    void aPublishThroughANonOwnerIsTheOwnersAndOnlyTheOwnerHoldsTheConnection() throws Exception {
        String path = publishPath(published);
        double forwardedBefore = cluster.get().forwarded("b");

        HttpResponse<String> throughB = publisher("b").post(path, "text/plain", "baa-sent-to-b");
        HttpResponse<String> atA = publisher("a").post(path, "text/plain", "baa-sent-to-a");

        assertThat(throughB.statusCode()).isEqualTo(200);
        assertThat(atA.statusCode()).isEqualTo(200);
        assertThat(throughB.headers().firstValue("Content-Type")).isEqualTo(atA.headers().firstValue("Content-Type"))
            .contains("application/json");
        JsonNode receiptB = JSON.readTree(throughB.body());
        JsonNode receiptA = JSON.readTree(atA.body());
        assertThat(receiptB.propertyNames()).containsExactlyElementsOf(receiptA.propertyNames());
        assertThat(withoutIdAndTime(receiptB)).isEqualTo(withoutIdAndTime(receiptA));
        assertThat(receiptB.get("topic").asString()).isEqualTo(topic(published));
        assertThat(receiptB.get("status").asString()).isEqualTo("acknowledged");
        assertThat(receiptB.get("messageId").asString()).isNotEqualTo(receiptA.get("messageId").asString());
        // once each, in order: both went out over a's one connection
        awaitPayloads(published, "baa-sent-to-b", "baa-sent-to-a");
        assertThat(logins(published)).as("logins of %s at the broker", published).isEqualTo(1);
        assertThat(mqttHealthDevices("a").path(PRODUCT + "/" + published).path("state").asString())
            .isEqualTo("CONNECTED");
        assertThat(mqttHealthDevices("b").has(PRODUCT + "/" + published)).as("b holds no connection of it").isFalse();

        JsonNode view = JSON.readTree(publisher("b").get(TestDevices.devicePath(published)).body());

        assertThat(view.path("owner").asString()).isEqualTo("a");
        assertThat(view.path("connection").path("state").asString()).isEqualTo("CONNECTED");
        assertThat(cluster.get().forwarded("b") - forwardedBefore).as("the publish and the view, forwarded")
            .isEqualTo(2);
    }

    @Test
    void anUnknownDeviceIsTheOwners404RelayedAsItIs() {
        double forwardedBefore = cluster.get().forwarded("b");

        HttpResponse<String> throughB = publisher("b").post(publishPath(unknown), "text/plain", "x");
        HttpResponse<String> viewThroughB = publisher("b").get(TestDevices.devicePath(unknown));

        assertRelayedAsItIs(throughB, publisher("a").post(publishPath(unknown), "text/plain", "x"), 404,
                "unknown-device");
        assertRelayedAsItIs(viewThroughB, publisher("a").get(TestDevices.devicePath(unknown)), 404, "unknown-device");
        assertThat(cluster.get().forwarded("b") - forwardedBefore).isEqualTo(2);
    }

    @Test
    void aBadQosIsTheOwners400RelayedAsItIs() {
        double forwardedBefore = cluster.get().forwarded("b");

        HttpResponse<String> throughB = publisher("b").post(publishPath(published) + "?qos=5", "text/plain", "x");

        assertRelayedAsItIs(throughB, publisher("a").post(publishPath(published) + "?qos=5", "text/plain", "x"), 400,
                "invalid-qos");
        assertThat(cluster.get().forwarded("b") - forwardedBefore).isEqualTo(1);
    }

    @Test
    void anOversizeBodyIs413AsTheOwnerWouldAnswerDeclaredOrChunked() {
        byte[] body = new byte[256 * 1024 + 1];

        HttpResponse<String> declared = publisher("b").post(publishPath(published), "application/octet-stream", body);
        HttpResponse<String> chunked = postChunked(publisher("b"), publishPath(published), body);

        assertRelayedAsItIs(declared, publisher("a").post(publishPath(published), "application/octet-stream", body),
                413, "payload-too-large");
        assertRelayedAsItIs(chunked, postChunked(publisher("a"), publishPath(published), body), 413,
                "payload-too-large");
        // the owner finds the device unknown before it reads the body
        assertRelayedAsItIs(postChunked(publisher("b"), publishPath(unknown), body),
                postChunked(publisher("a"), publishPath(unknown), body), 404, "unknown-device");
        assertThat(observer.payloadsOn(topic(published))).noneMatch(payload -> payload.length == body.length);
    }

    @Test
    void theDevicesRateLimitIsTheOwnersAnswered429WithRetryAfter() {
        String path = publishPath(rateLimited) + "?qos=0";
        double forwardedBefore = cluster.get().forwarded("b");
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited = null;
        // two QoS 0 messages a second: the third within a second is refused by a's limiter
        for (int i = 0; i < 20 && limited == null; i++) {
            HttpResponse<String> answer = publisher("b").post(path, "text/plain", "rate-" + i);
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 429) {
                limited = answer;
            }
        }

        assertThat(limited).as("answers %s", statuses).isNotNull();
        assertThat(statuses.subList(0, 2)).containsOnly(202);
        assertThat(limited.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(problemType(limited)).isEqualTo("urn:iot-gateway:problem:rate-limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                retryAfter -> assertThat(Integer.parseInt(retryAfter)).isBetween(1, 2));
        assertThat(cluster.get().forwarded("b") - forwardedBefore).as("every one answered by a")
            .isEqualTo(statuses.size());
    }

    @Test
    void callersAreRefusedByTheReplicaTheyReachAndNeverForwarded() {
        String path = publishPath(refused);
        GatewayHttpClient b = cluster.get().http("b");

        assertNotForwardedToA(refused, () -> {
            assertProblem(b.post(path, "text/plain", "no-key"), 401, "unauthenticated");
            assertProblem(b.post(path, "text/plain", "bad-key", "X-API-Key", "not-a-key-of-this-gateway-0000"), 401,
                    "invalid-api-key");
            assertProblem(b.post(path, "text/plain", "other-product", "X-API-Key",
                    InProcessCluster.OTHER_PUBLISHER_KEY), 403, "product-forbidden");
            assertProblem(b.get(TestDevices.devicePath(refused), "X-API-Key", InProcessCluster.OTHER_PUBLISHER_KEY),
                    403, "product-forbidden");
            assertProblem(b.post(path, "text/plain", "admin", "X-API-Key", InProcessCluster.ADMIN_KEY), 403,
                    "forbidden");
        });
        awaitPayloads(refused, "allowed");
    }

    @Test
    void aForwardedRequestThatReachesANonOwnerIs503DeviceMovingNotForwardedAgain() {
        String path = publishPath(looped);

        assertNotForwardedToA(looped, () -> {
            HttpResponse<String> post = publisher("b").post(path, "text/plain", "looped", "Gateway-Forwarded-By", "c");
            HttpResponse<String> view = publisher("b").get(TestDevices.devicePath(looped), "Gateway-Forwarded-By",
                    "c");
            for (HttpResponse<String> answer : List.of(post, view)) {
                assertProblem(answer, 503, "device-moving");
                assertThat(answer.headers().firstValue("Retry-After")).contains("1");
            }
        });
        assertThat(observer.payloadsOn(topic(looped))).extracting(String::new).containsExactly("allowed");
    }

    @Test
    void aSecretChangedOnBClosesTheStaleConnectionOnA() {
        String path = publishPath(rekeyed);
        GatewayHttpClient admin = admin("b");
        assertThat(publisher("b").post(path, "text/plain", "before").statusCode()).isEqualTo(200);
        assertThat(connectionState(rekeyed)).isEqualTo("CONNECTED");

        // a secret the broker does not know: only a connection made after the change can log in with it
        assertThat(admin.put(adminPath(rekeyed), "application/json", secretBody(InProcessCluster.newSecret()))
            .statusCode()).isEqualTo(200);

        await("a closes its connection of " + rekeyed).atMost(BOUND).until(() -> connectionState(rekeyed),
                "IDLE"::equals);
        HttpResponse<String> withNewSecret = publisher("b").post(path, "text/plain", "with-the-new-secret");
        assertProblem(withNewSecret, 502, "credentials-rejected");

        assertThat(admin.put(adminPath(rekeyed), "application/json", secretBody(SECRETS.get(rekeyed))).statusCode())
            .isEqualTo(200);

        await("a closes its refused connection of " + rekeyed).atMost(BOUND).until(() -> connectionState(rekeyed),
                "IDLE"::equals);
        assertThat(publisher("b").post(path, "text/plain", "after").statusCode()).isEqualTo(200);
        awaitPayloads(rekeyed, "before", "after");
        assertThat(logins(rekeyed)).as("logins the broker accepted: before and after").isEqualTo(2);
    }

    @Test
    void aDeviceRemovedOnBIsClosedAndUnknownOnA() {
        String path = publishPath(removed);
        assertThat(publisher("b").post(path, "text/plain", "before").statusCode()).isEqualTo(200);
        assertThat(mqttHealthDevices("a").has(PRODUCT + "/" + removed)).isTrue();

        assertThat(admin("b").delete(adminPath(removed)).statusCode()).isEqualTo(204);

        // a remembers devices it found for 10 minutes here: only the relayed removal makes it forget this one
        await("a forgets " + removed).atMost(BOUND)
            .until(() -> publisher("a").get(TestDevices.devicePath(removed)).statusCode() == 404);
        await("a closes its connection of " + removed).atMost(BOUND)
            .until(() -> !mqttHealthDevices("a").has(PRODUCT + "/" + removed));
        assertProblem(publisher("a").post(path, "text/plain", "after-at-a"), 404, "unknown-device");
        assertProblem(publisher("b").post(path, "text/plain", "after-through-b"), 404, "unknown-device");
        assertThat(observer.payloadsOn(topic(removed))).extracting(String::new).containsExactly("before");
    }

    @Test
    void withoutClusterPropertiesTheGatewayIsASingleReplicaWithoutAGridMember() throws Exception {
        try (ConfigurableApplicationContext single = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--gateway.security.clients[0].name=ops",
                "--gateway.security.clients[0].key-sha256=" + TestDevices.apiKeySha256(InProcessCluster.ADMIN_KEY),
                "--gateway.security.clients[0].roles=admin")) {
            assertThat(single.getBeanProvider(HazelcastInstance.class).getIfAvailable()).isNull();
            assertThat(single.getBeanNamesForType(Config.class)).isEmpty();
            assertThat(single.getBeanNamesForType(ClusterOwnership.class)).isEmpty();
            assertThat(single.containsBean("ownerForwarding")).isFalse();
            assertThat(cluster.get().context("b").containsBean("ownerForwarding")).as("as a replica has").isTrue();
            int port = ((WebServerApplicationContext) single).getWebServer().getPort();
            HttpResponse<String> health = new GatewayHttpClient(port).get("/actuator/health", "X-API-Key",
                    InProcessCluster.ADMIN_KEY);
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode components = JSON.readTree(health.body()).path("components");
            assertThat(components.path("cluster").path("status").asString()).isEqualTo("UP");
            assertThat(components.path("cluster").path("details").path("mode").asString()).isEqualTo("single");
            assertThat(components.path("cluster").path("details").path("replica").asString()).isNotBlank();
            assertThat(components.has("hazelcast")).as("no grid member to report on").isFalse();
        }
    }

    /** Last: it stops replica a. */
    @Test
    @Order(Integer.MAX_VALUE)
    void anIdempotencyKeyIsReplayedByEitherReplicaAndStillAfterTheDeviceMoved() throws Exception {
        String path = publishPath(idempotent);
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = publisher("b").post(path, "text/plain", "once", "Idempotency-Key", key);
        HttpResponse<String> again = publisher("a").post(path, "text/plain", "once", "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.body()).isEqualTo(first.body());
        String messageId = JSON.readTree(first.body()).get("messageId").asString();

        cluster.get().stop("a");

        InProcessCluster replicas = cluster.get();
        assertThat(replicas.ownerOf(DeviceId.parse(PRODUCT, idempotent))).isEqualTo("b");
        assertThat(replicas.ownedPartitions("b")).as("partitions of b")
            .isEqualTo(replicas.member("b").getPartitionService().getPartitions().size());
        HttpResponse<String> afterTheMove = publisher("b").post(path, "text/plain", "once", "Idempotency-Key", key);

        assertThat(afterTheMove.statusCode()).isEqualTo(200);
        assertThat(afterTheMove.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(JSON.readTree(afterTheMove.body()).get("messageId").asString()).isEqualTo(messageId);
        assertThat(afterTheMove.body()).isEqualTo(first.body());
        // it had a connection on a: b, its next owner, connects it ahead of traffic
        await("b connects " + idempotent + " it took over").atMost(BOUND)
            .until(() -> connectionState(idempotent), "CONNECTED"::equals);
        // a marker after the replays, over b's connection: a message published again would have come before it
        assertThat(publisher("b").post(path, "text/plain", "marker").statusCode()).isEqualTo(200);
        awaitPayloads(idempotent, "once", "marker");
        assertThat(JSON.readTree(publisher("b").get(TestDevices.devicePath(idempotent)).body()).path("owner")
            .asString()).isEqualTo("b");
    }

    /**
     * Runs {@code refusals} (requests about the device through b, which b must answer itself), then one allowed
     * publish of the device through b, and checks that a saw only that one, and b forwarded only it.
     */
    private static void assertNotForwardedToA(String device, Runnable refusals) {
        InProcessCluster replicas = cluster.get();
        long answeredByA = replicas.requestsAnswered("a");
        double forwardedByB = replicas.forwarded("b");

        refusals.run();

        assertThat(replicas.forwarded("b")).as("forwarded by b").isEqualTo(forwardedByB);
        HttpResponse<String> allowed = publisher("b").post(publishPath(device), "text/plain", "allowed");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(replicas.forwarded("b")).isEqualTo(forwardedByB + 1);
        // a records a request once it has answered it: the allowed one, and none before it
        await("a records the allowed request").atMost(BOUND)
            .until(() -> replicas.requestsAnswered("a") >= answeredByA + 1);
        assertThat(replicas.requestsAnswered("a")).as("requests a answered").isEqualTo(answeredByA + 1);
    }

    private static void assertRelayedAsItIs(HttpResponse<String> throughB, HttpResponse<String> atA, int status,
            String problem) {
        assertProblem(throughB, status, problem);
        assertThat(throughB.body()).as("b's answer is a's").isEqualTo(atA.body());
        assertThat(throughB.statusCode()).isEqualTo(atA.statusCode());
        assertThat(throughB.headers().firstValue("Content-Type")).isEqualTo(atA.headers().firstValue("Content-Type"));
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String problem) {
        assertThat(answer.statusCode()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(problemType(answer)).isEqualTo("urn:iot-gateway:problem:" + problem);
    }

    private static String problemType(HttpResponse<String> answer) {
        return JSON.readTree(answer.body()).path("type").asString();
    }

    private static HttpResponse<String> postChunked(GatewayHttpClient http, String path, byte[] body) {
        // an InputStream publisher sends no Content-Length: the body comes chunked
        return http.send(http.request(path)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    private static JsonNode withoutIdAndTime(JsonNode receipt) {
        ObjectNode copy = ((ObjectNode) receipt).deepCopy();
        copy.remove(List.of("messageId", "publishedAt"));
        return copy;
    }

    private static void awaitPayloads(String device, String... payloads) {
        await("messages of " + device + " at the broker").atMost(BOUND)
            .until(() -> observer.payloadsOn(topic(device)).size() >= payloads.length);
        assertThat(observer.payloadsOn(topic(device))).extracting(String::new).containsExactly(payloads);
    }

    /** The device's connection as its owner shows it, asked through b. */
    private static String connectionState(String device) {
        return JSON.readTree(publisher("b").get(TestDevices.devicePath(device)).body())
            .path("connection")
            .path("state")
            .asString();
    }

    /** The devices the replica's {@code mqtt} health component lists. */
    private static JsonNode mqttHealthDevices(String replica) {
        HttpResponse<String> health = admin(replica).get("/actuator/health");
        return JSON.readTree(health.body()).path("components").path("mqtt").path("details").path("devices");
    }

    /** Logins of the device the broker accepted. */
    private static long logins(String device) {
        Pattern login = Pattern.compile("New client connected .* as " + Pattern.quote(PRODUCT + "." + device + "|"));
        return broker.log().lines().filter(line -> login.matcher(line).find()).count();
    }

    private static GatewayHttpClient publisher(String replica) {
        return cluster.get().http(replica).withHeaders("X-API-Key", InProcessCluster.PUBLISHER_KEY);
    }

    private static GatewayHttpClient admin(String replica) {
        return cluster.get().http(replica).withHeaders("X-API-Key", InProcessCluster.ADMIN_KEY);
    }

    private static String publishPath(String device) {
        return TestDevices.devicePath(device) + "/user/flock";
    }

    private static String topic(String device) {
        return "/" + PRODUCT + "/" + device + "/user/flock";
    }

    private static String adminPath(String device) {
        return "/api/v1/admin/devices/" + PRODUCT + "/" + device;
    }

    private static String secretBody(String secret) {
        return "{\"deviceSecret\":\"" + secret + "\"}";
    }

    /** The observer reads everything; each candidate device may write its own topics, with its own secret. */
    private static MosquittoConfig brokerRules() {
        MosquittoConfig rules = MosquittoConfig.empty()
            .withUser(TestDevices.OBSERVER, TestDevices.OBSERVER_PASSWORD)
            .aclFor(TestDevices.OBSERVER, "read", "#");
        for (String device : CANDIDATES) {
            String username = device + "&" + PRODUCT;
            rules = rules.withUser(username, TestDevices.expectedPassword(device, SECRETS.get(device)))
                .aclFor(username, "write", "/" + PRODUCT + "/" + device + "/user/#");
        }
        return rules;
    }
}
