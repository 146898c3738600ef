package io.iotgateway.security;

import io.iotgateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The whole application, as it would be started in production with a real platform endpoint and no API clients:
 * it refuses to start and says what to configure.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRuleIntegrationTests {

    @Test
    void gatewayWithAnEndpointButNoClientsDoesNotStart(CapturedOutput output) {
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class)
            .properties("server.port=0", "gateway.platform.endpoint=tcp://127.0.0.1:1")
            .run()
            .close());

        assertThat(output).contains("APPLICATION FAILED TO START", "gateway.security.clients",
                "gateway.security.open=true");
    }

    @Test
    void gatewayWithAnEndpointAndApiClientsStarts(CapturedOutput output) {
        new SpringApplicationBuilder(GatewayApplication.class)
            .properties("server.port=0", "gateway.platform.endpoint=tcp://127.0.0.1:1",
                    "gateway.security.clients[0].name=erp",
                    "gateway.security.clients[0].key-sha256=" + ApiTestClients.sha256("erp-key-for-startup-test-1"),
                    "gateway.security.clients[0].roles=publisher", "gateway.security.clients[0].products=*")
            .run()
            .close();

        assertThat(output).contains("API keys required: 1 client(s) configured")
            .doesNotContain("erp-key-for-startup-test-1", "LOCAL SANDBOX", "OPEN ACCESS");
    }
}
