package io.iotgateway.registry;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.iotgateway.emulator.EmulatorInbox;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.RawHttp;
import io.iotgateway.testsupport.RawHttp.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

/**
 * The admin API over real HTTP with the embedded emulator and the default embedded database (in a data directory
 * of its own, with a generated master key): devices added, rotated and removed at runtime are what the gateway
 * publishes as, at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeviceAdminIntegrationTests {

    static final String ADMIN = "/api/v1/admin/devices";

    private static final Path dataDir = temporaryDirectory();

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    EmulatorInbox inbox;

    GatewayHttpClient http;

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry registry) {
        registry.add("gateway.data-dir", dataDir::toString);
        registry.add("gateway.devices[0].product-key", () -> "c0nf1gured0");
        registry.add("gateway.devices[0].device-name", () -> "configured-sheep");
        registry.add("gateway.devices[0].device-secret", () -> "configured-secret-0123456789");
    }

    @BeforeEach
    void client() {
        this.http = new GatewayHttpClient(this.port).withTimeout(Duration.ofSeconds(60));
    }

    @Test
    void putCreatesThenReplacesAndNeverShowsTheSecret() {
        String secret = AliyunBatchCsv.newSecret();

        HttpResponse<String> created = put(ADMIN + "/pUtPr0duct1/sheep-0001", secretBody(secret, "barn 3"));
        HttpResponse<String> again = put(ADMIN + "/pUtPr0duct1/sheep-0001", secretBody(secret, "barn 3"));
        HttpResponse<String> read = this.http.get(ADMIN + "/pUtPr0duct1/sheep-0001");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/admin/devices/pUtPr0duct1/sheep-0001");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode device = tree(read);
        assertThat(device.get("source").asString()).isEqualTo("REGISTRY");
        assertThat(device.get("description").asString()).isEqualTo("barn 3");
        assertThat(device.get("keyId").asString()).matches("[0-9a-f]{16}");
        assertThat(device.get("connection").get("state").asString()).isEqualTo("IDLE");
        assertThat(List.of(created.body(), again.body(), read.body())).noneMatch(body -> body.contains(secret))
            .noneMatch(body -> body.contains("deviceSecret"));
    }

    @Test
    void addedDeviceCanPublishAndARotatedSecretIsUsedAtTheNextLogin() throws Exception {
        String path = ADMIN + "/r0tat10nPk1/sheep-0001";
        put(path, secretBody(AliyunBatchCsv.newSecret(), null));

        assertThat(publish("r0tat10nPk1", "sheep-0001", "before").statusCode()).isEqualTo(200);
        assertThat(tree(this.http.get(path)).get("connection").get("state").asString()).isEqualTo("CONNECTED");
        assertThat(put(path, secretBody(AliyunBatchCsv.newSecret(), null)).statusCode()).isEqualTo(200);

        assertThat(tree(this.http.get(path)).get("connection").get("state").asString())
            .as("a new secret closes the connection").isEqualTo("IDLE");
        assertThat(publish("r0tat10nPk1", "sheep-0001", "after").statusCode()).isEqualTo(200);
        assertThat(this.inbox.awaitMessage(message -> message.payloadAsString().equals("after"),
                Duration.ofSeconds(10)))
            .hasValueSatisfying(message -> assertThat(message.clientId()).startsWith("r0tat10nPk1.sheep-0001|"));
    }

    @Test
    void removedDeviceIsGoneAtOnce() {
        String path = ADMIN + "/r3m0vedPk01/sheep-0001";
        put(path, secretBody(AliyunBatchCsv.newSecret(), null));
        assertThat(publish("r3m0vedPk01", "sheep-0001", "hello").statusCode()).isEqualTo(200);

        assertThat(this.http.delete(path).statusCode()).isEqualTo(204);

        HttpResponse<String> publish = publish("r3m0vedPk01", "sheep-0001", "too late");
        assertThat(publish.statusCode()).isEqualTo(404);
        assertThat(publish.body()).contains("urn:iot-gateway:problem:unknown-device");
        assertThat(this.http.get(path).statusCode()).isEqualTo(404);
        assertThat(this.http.delete(path).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidRequestsGetProblemDetails() {
        String secret = AliyunBatchCsv.newSecret();

        assertProblem(put(ADMIN + "/pk1/abc", secretBody(secret, null)), 400, "invalid-device");
        assertProblem(put(ADMIN + "/pk1/sheep-0001", "{}"), 400, "invalid-device-secret");
        assertProblem(put(ADMIN + "/pk1/sheep-0001", secretBody("two words", null)), 400,
                "invalid-device-secret");
        assertProblem(put(ADMIN + "/pk1/sheep-0001", secretBody(secret, "x".repeat(257))), 400,
                "invalid-request");
        assertProblem(this.http.get(ADMIN + "?size=0"), 400, "invalid-request");
        assertProblem(this.http.get(ADMIN + "?size=501"), 400, "invalid-request");
        assertProblem(this.http.get(ADMIN + "?productKey=not-a-key"), 400, "invalid-device");
        assertProblem(this.http.get(ADMIN + "/pk1/nosuch-sheep"), 404, "unknown-device");
    }

    @Test
    void configuredDevicesAreListedButReadOnly() {
        String path = ADMIN + "/c0nf1gured0/configured-sheep";

        assertProblem(put(path, secretBody(AliyunBatchCsv.newSecret(), null)), 409, "device-read-only");
        assertProblem(this.http.delete(path), 409, "device-read-only");
        assertThat(tree(this.http.get(path)).get("source").asString()).isEqualTo("CONFIGURATION");
        JsonNode page = tree(this.http.get(ADMIN + "?productKey=c0nf1gured0"));
        assertThat(page.get("totalItems").asLong()).isOne();
        assertThat(page.get("items").get(0).get("deviceName").asString()).isEqualTo("configured-sheep");
    }

    @Test
    void listsPageByPageWithAProductFilter() {
        for (int i = 1; i <= 7; i++) {
            put(ADMIN + "/pAg1ngPk001/sheep-%04d".formatted(i), secretBody(AliyunBatchCsv.newSecret(), null));
        }

        JsonNode first = tree(this.http.get(ADMIN + "?productKey=pAg1ngPk001&size=3"));
        JsonNode last = tree(this.http.get(ADMIN + "?productKey=pAg1ngPk001&size=3&page=2"));

        assertThat(first.get("totalItems").asLong()).isEqualTo(7);
        assertThat(first.get("totalPages").asLong()).isEqualTo(3);
        assertThat(first.get("items")).extracting(item -> item.get("deviceName").asString())
            .containsExactly("sheep-0001", "sheep-0002", "sheep-0003");
        assertThat(last.get("items")).extracting(item -> item.get("deviceName").asString())
            .containsExactly("sheep-0007");
    }

    @Test
    void importsAThousandRowConsoleCsvReportingEachBadRowAndIsIdempotent() {
        AliyunBatchCsv csv = new AliyunBatchCsv("a1BatchPk01").devices("sensor", 497)
            .bad("a1BatchPk01,abc,0123456789abcdef0123456789abcdef")
            .bad("a1BatchPk01,sensor with space,0123456789abcdef0123456789abcdef")
            .bad("a1BatchPk01,sensor-9001,")
            .bad("a1BatchPk01,sensor-9002")
            .bad("a1Batch-Pk1,sensor-9003,0123456789abcdef0123456789abcdef")
            .bad("a1BatchPk01,sensor-0001,0123456789abcdef0123456789abcdef")
            .devices("meter", 497);

        HttpResponse<String> response = this.http.post(ADMIN + "/import", "text/csv", csv.bytes());
        HttpResponse<String> again = this.http.post(ADMIN + "/import", "text/csv", csv.bytes());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = tree(response);
        assertThat(report.get("applied").asBoolean()).isTrue();
        assertThat(report.get("created").asInt()).isEqualTo(993);
        assertThat(report.get("rejected").asInt()).isEqualTo(7);
        assertThat(report.get("rows")).hasSize(1000);
        Map<Integer, String> reasons = new TreeMap<>();
        report.get("rows").forEach(row -> {
            if (row.get("outcome").asString().equals("REJECTED")) {
                reasons.put(row.get("row").asInt(), row.get("reason").asString());
            }
        });
        assertThat(reasons).containsOnlyKeys(2, 499, 500, 501, 502, 503, 504);
        assertThat(reasons.get(499)).startsWith("DeviceName must be 4-32 characters");
        assertThat(reasons.get(500)).startsWith("DeviceName must be 4-32 characters");
        assertThat(reasons.get(501)).isEqualTo("DeviceSecret is missing or empty");
        assertThat(reasons.get(502)).isEqualTo("The line has 2 field(s); the header has 3");
        assertThat(reasons.get(503)).startsWith("ProductKey must be 1-32 letters or digits");
        assertThat(reasons.get(2)).isEqualTo(reasons.get(504))
            .isEqualTo("The device appears more than once in this import (rows 2, 504); give it once");
        assertThat(tree(again).get("unchanged").asInt()).isEqualTo(993);
        assertThat(tree(this.http.get(ADMIN + "?productKey=a1BatchPk01&size=1")).get("totalItems").asLong())
            .isEqualTo(993);
        assertThat(publish("a1BatchPk01", "meter-0497", "imported").statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(csv.secrets().values());
    }

    @Test
    void importsJsonAndOffersAllOrNothingAndDryRun() {
        String devices = """
                [{"productKey":"j50nImp0rt1","deviceName":"sheep-0001","deviceSecret":"%s","description":"json"},
                 {"productKey":"j50nImp0rt1","deviceName":"x","deviceSecret":"%s"}]"""
            .formatted(AliyunBatchCsv.newSecret(), AliyunBatchCsv.newSecret());

        HttpResponse<String> refused = this.http.post(ADMIN + "/import?mode=all-or-nothing", "application/json",
                devices);
        HttpResponse<String> dryRun = this.http.post(ADMIN + "/import?mode=dry-run", "application/json", devices);
        assertThat(this.http.get(ADMIN + "/j50nImp0rt1/sheep-0001").statusCode()).isEqualTo(404);
        HttpResponse<String> applied = this.http.post(ADMIN + "/import", "application/json", devices);

        assertProblem(refused, 422, "import-rejected");
        assertThat(tree(refused).get("report").get("rows").get(1).get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(tree(dryRun).get("applied").asBoolean()).isFalse();
        assertThat(tree(dryRun).get("created").asInt()).isOne();
        assertThat(tree(applied).get("created").asInt()).isOne();
        assertThat(tree(this.http.get(ADMIN + "/j50nImp0rt1/sheep-0001")).get("description").asString())
            .isEqualTo("json");
    }

    @Test
    void unreadableImportsAreRefusedAsAWhole() throws IOException {
        assertProblem(this.http.post(ADMIN + "/import", "text/csv", "DeviceName,DeviceSecret\nsheep-0001,s\n"), 400,
                "invalid-import");
        assertProblem(this.http.post(ADMIN + "/import", "text/csv", new byte[] { (byte) 0xC3, (byte) 0x28 }), 400,
                "invalid-import");
        assertProblem(this.http.post(ADMIN + "/import", "application/json", "{\"not\": \"an array\"}"), 400,
                "invalid-import");
        assertProblem(this.http.post(ADMIN + "/import", "application/json", "[{\"productKey\": unquoted}]"), 400,
                "invalid-import");
        assertProblem(this.http.post(ADMIN + "/import?mode=sometimes", "application/json", "[]"), 400,
                "invalid-request");
        // refused by its declared length, before the body is read
        Answer tooLarge = new RawHttp(this.port).sendHeadOnly("POST " + ADMIN + "/import HTTP/1.1\r\nHost: 127.0.0.1"
                + "\r\nContent-Type: text/csv\r\nContent-Length: " + (DeviceImportController.MAX_BODY_BYTES + 1));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("urn:iot-gateway:problem:payload-too-large");
        assertThat(this.http.post(ADMIN + "/import", "application/xml", "<devices/>").statusCode()).isEqualTo(415);
    }

    @Test
    void keyStatusAndReEncryptionAreAvailable() {
        JsonNode status = tree(this.http.get("/api/v1/admin/registry"));
        JsonNode reEncryption = tree(this.http.post("/api/v1/admin/registry/re-encrypt", "application/json", ""));

        assertThat(status.get("currentKeyId").asString()).matches("[0-9a-f]{16}");
        assertThat(status.get("devicesOnOlderKeys").asLong()).isZero();
        assertThat(reEncryption.get("reEncrypted").asInt()).isZero();
        assertThat(Files.exists(dataDir.resolve("master.key"))).as("generated, no key configured").isTrue();
    }

    @Test
    void openApiDescribesTheAdminApi() {
        String apiDocs = this.http.get("/v3/api-docs").body();

        assertThat(apiDocs).contains("/api/v1/admin/devices/{productKey}/{deviceName}", "/api/v1/admin/devices/import",
                "/api/v1/admin/registry/re-encrypt", "\"text/csv\"", "writeOnly");
    }

    private HttpResponse<String> put(String path, String json) {
        return this.http.put(path, APPLICATION_JSON_VALUE, json);
    }

    private HttpResponse<String> publish(String productKey, String deviceName, String payload) {
        return this.http.post("/api/v1/devices/" + productKey + "/" + deviceName + "/user/data", "text/plain",
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(tree(response).get("type").asString()).isEqualTo("urn:iot-gateway:problem:" + type);
    }

    private JsonNode tree(HttpResponse<String> response) {
        return this.json.readTree(response.body());
    }

    static String secretBody(String secret, String description) {
        return (description != null) ? "{\"deviceSecret\":\"" + secret + "\",\"description\":\"" + description + "\"}"
                : "{\"deviceSecret\":\"" + secret + "\"}";
    }

    static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("gateway-data");
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
