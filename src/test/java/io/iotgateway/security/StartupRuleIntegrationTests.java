package io.iotgateway.security;

import io.iotgateway.GatewayApplication;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.iotgateway.testsupport.StartupRefusals.assertRefusedInOneLine;
import static io.iotgateway.testsupport.StartupRefusals.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The whole application, as it would be started in production with a real platform endpoint and no API clients,
 * or with the {@code production} profile in an open mode: it refuses to start and says in one line what to
 * configure.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRuleIntegrationTests {

    private static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @Test
    void gatewayWithAnEndpointButNoClientsDoesNotStart(CapturedOutput output) {
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class)
            .properties("server.port=0", "gateway.platform.endpoint=tcp://127.0.0.1:1")
            .run()
            .close());

        assertRefusedInOneLine(output, "gateway.platform.endpoint", "no API clients", "gateway.security.clients");
        assertThat(output).contains("Or set gateway.security.open=true to run open on purpose.");
    }

    @Test
    void productionProfileRefusesTheSandboxInOneLine(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--spring.profiles.active=production",
                "--gateway.registry.master-key=" + MASTER_KEY));

        assertRefusedInOneLine(output, "production profile", "no API clients", "sandbox", "gateway.security.clients");
    }

    @Test
    void productionProfileRefusesTheSandboxWithADatabaseToo(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--spring.profiles.active=production",
                "--gateway.registry.master-key=" + MASTER_KEY,
                "--spring.datasource.url=jdbc:h2:mem:production-sandbox;DB_CLOSE_DELAY=-1"));

        assertRefusedInOneLine(output, "production profile", "sandbox", "gateway.security.clients");
    }

    @Test
    void productionProfileRefusesOpenAccessInOneLine(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--spring.profiles.active=production",
                "--gateway.registry.master-key=" + MASTER_KEY, "--gateway.platform.endpoint=tcp://127.0.0.1:1",
                "--gateway.security.open=true"));

        assertRefusedInOneLine(output, "production profile", "gateway.security.open=true", "gateway.security.clients");
    }

    @Test
    void productionProfileWithoutAMasterKeyRefusesInOneLine(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--spring.profiles.active=production",
                "--gateway.platform.endpoint=tcp://127.0.0.1:1", "--gateway.security.clients[0].name=erp",
                "--gateway.security.clients[0].key-sha256=" + TestDevices.apiKeySha256("erp-key-for-startup-test-2"),
                "--gateway.security.clients[0].roles=publisher"));

        assertRefusedInOneLine(output, "No master key for the device registry", "gateway.registry.master-key");
    }

    @Test
    void gatewayWithAnEndpointAndApiClientsStarts(CapturedOutput output) {
        new SpringApplicationBuilder(GatewayApplication.class)
            .properties("server.port=0", "gateway.platform.endpoint=tcp://127.0.0.1:1",
                    "gateway.security.clients[0].name=erp",
                    "gateway.security.clients[0].key-sha256=" + TestDevices.apiKeySha256("erp-key-for-startup-test-1"),
                    "gateway.security.clients[0].roles=publisher", "gateway.security.clients[0].products=*")
            .run()
            .close();

        assertThat(output).contains("API keys required: 1 client(s) configured")
            .doesNotContain("erp-key-for-startup-test-1", "LOCAL SANDBOX", "OPEN ACCESS");
    }
}
