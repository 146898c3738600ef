package io.iotgateway.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.iotgateway.StartupRefusedException;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class AccessModeTests {

    private static final GatewaySecurityProperties.Client CLIENT = new GatewaySecurityProperties.Client("erp",
            TestDevices.apiKeySha256("some-key-of-the-erp-system-12345"), Set.of(ApiRole.PUBLISHER),
            Set.of("a61QmwQD5ZF"));

    private static final String ENDPOINT = "ssl://{productKey}.iot-as-mqtt.{region}.aliyuncs.com:8883";

    @Test
    void clientsMeanApiKeysWithOrWithoutAnEndpoint() {
        assertThat(AccessMode.decide(security(List.of(CLIENT), false), ENDPOINT, false))
            .isEqualTo(AccessMode.API_KEYS);
        assertThat(AccessMode.decide(security(List.of(CLIENT), false), null, false))
            .isEqualTo(AccessMode.API_KEYS);
    }

    @Test
    void openIsIgnoredOnceClientsAreConfigured(CapturedOutput output) {
        assertThat(AccessMode.decide(security(List.of(CLIENT), true), ENDPOINT, false))
            .isEqualTo(AccessMode.API_KEYS);
        assertThat(output).contains("gateway.security.open=true is ignored");
    }

    @Test
    void noClientsAndNoEndpointIsTheLocalSandboxWithALoudWarning(CapturedOutput output) {
        assertThat(AccessMode.decide(security(List.of(), false), " ", false))
            .isEqualTo(AccessMode.SANDBOX);
        assertThat(output).contains("WARN", "LOCAL SANDBOX", "ANYONE who");
    }

    @Test
    void noClientsWithARealEndpointRefusesToStart() {
        assertThatExceptionOfType(StartupRefusedException.class)
            .isThrownBy(() -> AccessMode.decide(security(List.of(), false), ENDPOINT, false))
            .withMessageContaining("gateway.security.clients")
            .satisfies(refused -> assertThat(refused.action()).contains("gateway.security.open=true"));
    }

    @Test
    void productionProfileRefusesBothOpenModesButNotApiKeys() {
        assertThatExceptionOfType(StartupRefusedException.class)
            .isThrownBy(() -> AccessMode.decide(security(List.of(), false), null, true))
            .withMessageContaining("production profile")
            .withMessageContaining("local sandbox");
        assertThatExceptionOfType(StartupRefusedException.class)
            .isThrownBy(() -> AccessMode.decide(security(List.of(), true), ENDPOINT, true))
            .withMessageContaining("production profile")
            .withMessageContaining("gateway.security.open=true");
        assertThat(AccessMode.decide(security(List.of(CLIENT), false), null, true))
            .isEqualTo(AccessMode.API_KEYS);
    }

    @Test
    void noClientsWithARealEndpointRunsOpenOnlyWhenToldAndWarns(CapturedOutput output) {
        assertThat(AccessMode.decide(security(List.of(), true), ENDPOINT, false))
            .isEqualTo(AccessMode.OPEN);
        assertThat(output).contains("WARN", "OPEN ACCESS", "gateway.security.open=true");
    }

    private static GatewaySecurityProperties security(List<GatewaySecurityProperties.Client> clients, boolean open) {
        return new GatewaySecurityProperties(clients, open,
                new GatewaySecurityProperties.FailureLimit(20, Duration.ofSeconds(10), 1000));
    }
}
