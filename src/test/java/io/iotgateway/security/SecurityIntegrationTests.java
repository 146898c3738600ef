package io.iotgateway.security;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.RawHttp;
import io.iotgateway.testsupport.RawHttp.Answer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ReflectionUtils;

import static io.iotgateway.security.ApiTestClients.ADMIN_KEY;
import static io.iotgateway.security.ApiTestClients.DEMO_PATH;
import static io.iotgateway.security.ApiTestClients.FLEET_KEY;
import static io.iotgateway.security.ApiTestClients.OTHER_PUBLISHER_KEY;
import static io.iotgateway.security.ApiTestClients.PUBLISHER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * API keys, roles and product scopes over real HTTP, against the embedded emulator.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityIntegrationTests extends ApiKeyGatewayTests {

    private GatewayHttpClient http;

    @Autowired
    MeterRegistry meters;

    @Autowired
    FilterChainProxy securityFilterChain;

    @Autowired
    StrictHttpFirewall httpFirewall;

    @BeforeEach
    void client() {
        this.http = new GatewayHttpClient(this.port);
    }

    @BeforeEach
    void clearInbox() {
        clearInboxWhenQuiet();
    }

    @Test
    void theSecurityChainUsesTheGatewaysFirewall() {
        // Spring Security wraps its chain for Spring MVC; the firewall belongs to the chain inside
        Object proxy = this.securityFilterChain;
        Field inner = ReflectionUtils.findField(proxy.getClass(), "springSecurityFilterChain");
        Object chain = (inner != null) ? ReflectionTestUtils.getField(proxy, inner.getName()) : proxy;
        // HeaderCharactersTests shows that its header rules equal Spring Security's defaults
        assertThat(ReflectionTestUtils.getField(chain, "firewall")).isSameAs(this.httpFirewall);
    }

    @Test
    void publishWithoutKeyAnswers401WithChallengeAndPublishesNothing() throws Exception {
        double before = failures("missing-key");

        HttpResponse<String> response = post(DEMO_PATH, null, "baa");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"iot-gateway\"",
                "ApiKey realm=\"iot-gateway\", header=\"X-API-Key\"");
        assertThat(response.body()).contains("\"type\":\"urn:iot-gateway:problem:unauthenticated\"", "\"status\":401",
                "\"instance\":\"" + DEMO_PATH + "\"", "X-API-Key");
        assertThat(failures("missing-key")).isEqualTo(before + 1);
        assertThat(this.inbox.messages()).isEmpty();
    }

    @Test
    void wrongKeyAnswers401InvalidKeyAndIsCounted(CapturedOutput output) throws Exception {
        double before = failures("invalid-key");

        HttpResponse<String> response = post(DEMO_PATH, "not-a-configured-key-3141592653", "baa");
        HttpResponse<String> bearer = this.http.post(DEMO_PATH, null, "baa", "Authorization",
                "Bearer wrong-bearer-key-2718");

        for (HttpResponse<String> refused : java.util.List.of(response, bearer)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("urn:iot-gateway:problem:invalid-api-key");
            assertThat(refused.headers().allValues("WWW-Authenticate"))
                .contains("Bearer realm=\"iot-gateway\", error=\"invalid_token\"");
        }
        assertThat(failures("invalid-key")).isEqualTo(before + 2);
        assertThat(this.inbox.messages()).isEmpty();
        assertThat(output.getAll()).doesNotContain("not-a-configured-key-3141592653", "wrong-bearer-key-2718",
                PUBLISHER_KEY);
    }

    @Test
    void publisherPublishesWithXApiKeyOrBearer() throws Exception {
        HttpResponse<String> withHeader = post(DEMO_PATH, PUBLISHER_KEY, "with header");
        HttpResponse<String> withBearer = this.http.post(DEMO_PATH, null, "with bearer", "Authorization",
                "Bearer " + PUBLISHER_KEY);

        assertThat(withHeader.statusCode()).isEqualTo(200);
        assertThat(withBearer.statusCode()).isEqualTo(200);
        assertThat(this.inbox.awaitMessage(m -> m.payloadAsString().equals("with bearer"), Duration.ofSeconds(10)))
            .isPresent();
    }

    @Test
    void twoDifferentKeysInOneRequestAreRefused() throws Exception {
        HttpResponse<String> response = this.http.post(DEMO_PATH, null, "baa", "X-API-Key", PUBLISHER_KEY,
                "Authorization", "Bearer " + FLEET_KEY);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("invalid-api-key", "Two different API keys");
    }

    @Test
    void publisherOutsideItsProductsGets403AndNothingIsPublished() throws Exception {
        double before = denied("product");

        HttpResponse<String> publish = post(DEMO_PATH, OTHER_PUBLISHER_KEY, "baa");
        HttpResponse<String> device = get("/api/v1/devices/" + ApiTestClients.PRODUCT + "/mosheep",
                OTHER_PUBLISHER_KEY);

        for (HttpResponse<String> response : java.util.List.of(publish, device)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("urn:iot-gateway:problem:product-forbidden", ApiTestClients.PRODUCT);
        }
        assertThat(denied("product")).isEqualTo(before + 2);
        assertThat(this.inbox.messages()).isEmpty();
    }

    @Test
    void deviceListShowsAPublisherOnlyItsProducts() throws Exception {
        post(DEMO_PATH, PUBLISHER_KEY, "connect first");

        assertThat(get("/api/v1/devices", PUBLISHER_KEY).body()).contains("\"deviceName\":\"mosheep\"");
        assertThat(get("/api/v1/devices", FLEET_KEY).body()).contains("\"deviceName\":\"mosheep\"");
        assertThat(get("/api/v1/devices", ADMIN_KEY).body()).contains("\"deviceName\":\"mosheep\"");
        HttpResponse<String> other = get("/api/v1/devices", OTHER_PUBLISHER_KEY);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo("[]");
    }

    @Test
    void deviceListIsScopedHoweverItsPathIsSpelled() throws Exception {
        // Spring MVC and Spring Security match the decoded path: each of these is GET /api/v1/devices
        for (String path : java.util.List.of("/api/v1/devices", "/api/v1/%64evices", "/%61pi/v1/devices",
                "/api/v1/devic%65s")) {
            Answer other = raw("GET", path, OTHER_PUBLISHER_KEY);
            Answer publisher = raw("GET", path, PUBLISHER_KEY);

            assertThat(other.status()).as(path).isEqualTo(200);
            assertThat(other.body()).as(path).isEqualTo("[]");
            assertThat(publisher.body()).as(path).contains("\"deviceName\":\"mosheep\"");
        }
    }

    @Test
    void headFollowsTheRulesOfGet() throws Exception {
        String device = "/api/v1/devices/" + ApiTestClients.PRODUCT + "/mosheep";
        String unknownDevice = "/api/v1/devices/" + ApiTestClients.PRODUCT + "/nosuchsheep";
        // HEAD is answered by the GET handler: it must not tell a caller more than GET would (no 200/404 oracle)
        for (String path : java.util.List.of(device, unknownDevice, "/api/v1/%64evices/" + ApiTestClients.PRODUCT
                + "/mosheep")) {
            assertThat(raw("GET", path, OTHER_PUBLISHER_KEY).status()).as("GET " + path).isEqualTo(403);
            assertThat(raw("HEAD", path, OTHER_PUBLISHER_KEY).status()).as("HEAD " + path).isEqualTo(403);
            assertThat(raw("HEAD", path, null).status()).as("HEAD " + path + " without key").isEqualTo(401);
        }
        assertThat(raw("HEAD", device, PUBLISHER_KEY).status()).isEqualTo(200);
        assertThat(raw("HEAD", unknownDevice, PUBLISHER_KEY).status()).isEqualTo(404);
        assertThat(raw("HEAD", device, ADMIN_KEY).status()).isEqualTo(200);
        assertThat(raw("HEAD", "/api/v1/devices", null).status()).isEqualTo(401);
        assertThat(raw("HEAD", "/api/v1/devices", OTHER_PUBLISHER_KEY).status()).isEqualTo(200);
        for (String admin : java.util.List.of("/api/v1/admin/devices", "/api/v1/admin/registry",
                "/actuator/metrics", "/api/v1/%61dmin/devices")) {
            assertThat(raw("HEAD", admin, null).status()).as("HEAD " + admin + " without key").isEqualTo(401);
            assertThat(raw("HEAD", admin, PUBLISHER_KEY).status()).as("HEAD " + admin).isEqualTo(403);
            assertThat(raw("HEAD", admin, ADMIN_KEY).status()).as("HEAD " + admin + " as admin").isEqualTo(200);
        }
    }

    @Test
    void aRefusalNamesTheRoleOfTheMatchedRouteHoweverItsPathIsSpelled() throws Exception {
        Answer admin = raw("GET", "/%61pi/v1/admin/devices", PUBLISHER_KEY);

        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.body()).contains("urn:iot-gateway:problem:forbidden", "admin role");
    }

    @Test
    void publishIsRecognisedHoweverItsPathIsSpelled() throws Exception {
        // the publish endpoint takes any content type, wildcards included, under any spelling of its path
        Answer answer = new RawHttp(this.port).send("POST /api/v1/%64evices/" + ApiTestClients.PRODUCT
                + "/mosheep/user/sheep HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + FLEET_KEY
                + "\r\nContent-Type: */*", "encoded path".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(this.inbox.awaitMessage(m -> m.payloadAsString().equals("encoded path"), Duration.ofSeconds(10)))
            .isPresent();
    }

    @Test
    void adminMayManageButNotPublishAndPublishersMayNotManage() throws Exception {
        HttpResponse<String> adminPublishes = post(DEMO_PATH, ADMIN_KEY, "baa");
        HttpResponse<String> publisherManages = get("/api/v1/admin/devices", PUBLISHER_KEY);
        HttpResponse<String> adminManages = get("/api/v1/admin/devices", ADMIN_KEY);
        HttpResponse<String> adminReadsDevice = get("/api/v1/devices/" + ApiTestClients.PRODUCT + "/mosheep",
                ADMIN_KEY);

        assertThat(adminPublishes.statusCode()).isEqualTo(403);
        assertThat(adminPublishes.body()).contains("urn:iot-gateway:problem:forbidden", "publisher role");
        assertThat(publisherManages.statusCode()).isEqualTo(403);
        assertThat(publisherManages.body()).contains("urn:iot-gateway:problem:forbidden", "admin role");
        assertThat(adminManages.statusCode()).isEqualTo(200);
        assertThat(adminReadsDevice.statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/admin/devices", null).statusCode()).isEqualTo(401);
        assertThat(this.inbox.messages()).isEmpty();
    }

    @Test
    void probesAreOpenAndDetailsAndOtherActuatorEndpointsAreForAdmins() throws Exception {
        HttpResponse<String> anonymousHealth = get("/actuator/health", null);
        HttpResponse<String> adminHealth = get("/actuator/health", ADMIN_KEY);

        assertThat(anonymousHealth.statusCode()).isEqualTo(200);
        assertThat(anonymousHealth.body()).contains("\"status\":\"UP\"").doesNotContain("mqtt", "components");
        assertThat(get("/actuator/health", PUBLISHER_KEY).body()).doesNotContain("mqtt");
        assertThat(adminHealth.body()).contains("\"mqtt\"", "\"connected\"");
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/mqtt", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/metrics", PUBLISHER_KEY).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/metrics", ADMIN_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void openApiAndExplorerNeedNoKeyAndDeclareTheKeySchemes() throws Exception {
        HttpResponse<String> apiDocs = get("/v3/api-docs", null);

        assertThat(apiDocs.statusCode()).isEqualTo(200);
        assertThat(apiDocs.body()).contains("\"securitySchemes\"", "\"apiKey\"", "\"X-API-Key\"", "\"bearer\"");
        assertThat(get("/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
    }

    @Test
    void idempotencyKeysAreScopedToTheAuthenticatedClient() throws Exception {
        String idempotencyKey = "scoped-" + System.nanoTime();

        int first = this.http.post(DEMO_PATH, null, "once per client", "X-API-Key", PUBLISHER_KEY,
                "Idempotency-Key", idempotencyKey).statusCode();
        HttpResponse<String> replay = this.http.post(DEMO_PATH, null, "once per client", "X-API-Key", PUBLISHER_KEY,
                "Idempotency-Key", idempotencyKey);
        int otherClient = this.http.post(DEMO_PATH, null, "once per client", "X-API-Key", FLEET_KEY,
                "Idempotency-Key", idempotencyKey).statusCode();

        assertThat(first).isEqualTo(200);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(otherClient).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.inbox.messages())
            .filteredOn(m -> m.payloadAsString().equals("once per client"))
            .hasSize(2));
    }

    private Answer raw(String method, String path, String key) throws IOException {
        return new RawHttp(this.port).send(method + " " + path + " HTTP/1.1\r\nHost: localhost"
                + ((key != null) ? "\r\nX-API-Key: " + key : ""), new byte[0]);
    }

    private double failures(String reason) {
        return this.meters.counter("gateway.security.authentication.failures", "reason", reason).count();
    }

    private double denied(String reason) {
        return this.meters.counter("gateway.security.access.denied", "reason", reason).count();
    }

    private HttpResponse<String> post(String path, String key, String body) {
        return this.http.post(path, "text/plain", body, keyHeader(key));
    }

    private HttpResponse<String> get(String path, String key) {
        return this.http.get(path, keyHeader(key));
    }

    private static String[] keyHeader(String key) {
        return (key != null) ? new String[] { "X-API-Key", key } : new String[0];
    }
}
