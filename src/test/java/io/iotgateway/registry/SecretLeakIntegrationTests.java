package io.iotgateway.registry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.testsupport.GatewayHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

/**
 * A whole run of this gateway, from start-up to removal, with the web, registry and JDBC layers logging at DEBUG
 * and TRACE: no master key and no device secret (configured, added, rotated, imported, or sent in a request that
 * was refused) ever appears in a log line or in any part of any HTTP answer.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "logging.level.io.iotgateway=DEBUG", "logging.level.org.springframework.web=DEBUG",
                "logging.level.org.springframework.jdbc.core=TRACE" })
class SecretLeakIntegrationTests {

    private static final String ADMIN = DeviceAdminIntegrationTests.ADMIN;

    private static final Path dataDir = DeviceAdminIntegrationTests.temporaryDirectory();

    private static final String MASTER_KEY = randomKey();

    private static final String PREVIOUS_MASTER_KEY = randomKey();

    private static final String CONFIGURED_SECRET = AliyunBatchCsv.newSecret();

    private final List<String> secrets = new ArrayList<>(List.of(MASTER_KEY, PREVIOUS_MASTER_KEY, CONFIGURED_SECRET));

    @LocalServerPort
    int port;

    @Autowired
    CredentialService credentials;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("gateway.data-dir", dataDir::toString);
        registry.add("gateway.registry.master-key", () -> MASTER_KEY);
        registry.add("gateway.registry.previous-master-keys[0]", () -> PREVIOUS_MASTER_KEY);
        registry.add("gateway.devices[0].product-key", () -> "l3akC0nf1g0");
        registry.add("gateway.devices[0].device-name", () -> "configured-sheep");
        registry.add("gateway.devices[0].device-secret", () -> CONFIGURED_SECRET);
    }

    @Test
    void noSecretEverReachesALogOrAnAnswer(CapturedOutput output) {
        GatewayHttpClient http = new GatewayHttpClient(this.port).withTimeout(Duration.ofSeconds(60)).recording();
        String added = secret();
        http.put(ADMIN + "/l3akPr0duct/sheep-0001", APPLICATION_JSON_VALUE,
                DeviceAdminIntegrationTests.secretBody(added, "kept"));
        http.put(ADMIN + "/l3akPr0duct/sheep-0001", APPLICATION_JSON_VALUE,
                DeviceAdminIntegrationTests.secretBody(secret(), "rotated"));
        AliyunBatchCsv csv = new AliyunBatchCsv("l3akPr0duct").devices("meter", 5)
            .bad("l3akPr0duct,meter-0100," + secret().substring(0, 16) + "," + secret().substring(16))
            .bad("l3akPr0duct,," + secret())
            .bad("l3akPr0duct,meter-0001," + secret())
            .bad("l3akPr0duct,meter 0101," + secret());
        this.secrets.addAll(csv.secrets().values());
        http.post(ADMIN + "/import", "text/csv", csv.bytes());
        http.post(ADMIN + "/import?mode=all-or-nothing", "text/csv", csv.bytes());
        // unquoted, so that a JSON parser's message would quote it
        http.post(ADMIN + "/import", "application/json", "[{\"productKey\":\"l3akPr0duct\",\"deviceName\":\"meter"
                + "-0200\",\"deviceSecret\":" + unquotedSecret() + "}]");
        http.put(ADMIN + "/l3akPr0duct/sheep-0002", APPLICATION_JSON_VALUE,
                "{\"deviceSecret\": " + unquotedSecret() + "}");
        http.put(ADMIN + "/l3akPr0duct/sheep-0003", APPLICATION_JSON_VALUE,
                DeviceAdminIntegrationTests.secretBody(secret() + " x", null));
        http.put(ADMIN + "/l3akC0nf1g0/configured-sheep", APPLICATION_JSON_VALUE,
                DeviceAdminIntegrationTests.secretBody(secret(), null));
        for (String device : List.of("l3akPr0duct/sheep-0001", "l3akPr0duct/meter-0003", "l3akC0nf1g0/configured-sheep",
                "a61QmwQD5ZF/mosheep")) {
            assertThat(http.post("/api/v1/devices/" + device + "/user/leak", "text/plain",
                    "baa".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            http.get(ADMIN + "/" + device);
        }
        http.get(ADMIN + "?size=100");
        http.get("/api/v1/devices");
        http.get("/api/v1/admin/registry");
        http.post("/api/v1/admin/registry/re-encrypt", "application/json", "");
        http.get("/actuator/health");
        http.get("/v3/api-docs");
        http.delete(ADMIN + "/l3akPr0duct/sheep-0001");
        http.post("/api/v1/devices/l3akPr0duct/sheep-0001/user/leak", "text/plain", new byte[] { 1 });
        this.secrets.add(this.credentials.find(new DeviceId("a61QmwQD5ZF", "mosheep")).orElseThrow().deviceSecret());

        assertThat(http.transcript()).hasSizeGreaterThan(20)
            .allSatisfy(answer -> assertThat(answer).doesNotContain(this.secrets));
        assertThat(output.getAll()).contains("Emulator received on '/l3akPr0duct/meter-0003/user/leak'")
            .contains("Setting SQL statement parameter value")
            .doesNotContain(this.secrets);
    }

    private String secret() {
        String secret = AliyunBatchCsv.newSecret();
        this.secrets.add(secret);
        return secret;
    }

    /** A secret that starts with a letter: a JSON parser reads it as one bad token. */
    private String unquotedSecret() {
        String secret = "f" + AliyunBatchCsv.newSecret().substring(1);
        this.secrets.add(secret);
        return secret;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
