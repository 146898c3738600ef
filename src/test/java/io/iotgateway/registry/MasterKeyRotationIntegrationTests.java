package io.iotgateway.registry;

import java.nio.file.Path;

import io.iotgateway.GatewayApplication;
import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The master key procedure of docs/registry.md, as an operator runs it: the gateway restarted on one data
 * directory with a new key that it refuses alone, accepts beside the old one, re-encrypts with, and then runs on
 * alone; and a production gateway refuses to start without a key.
 */
class MasterKeyRotationIntegrationTests {

    private static final DeviceId SHEEP = new DeviceId("r0tat1onPk1", "sheep-0001");

    private static final DeviceId GOAT = new DeviceId("r0tat1onPk1", "goat-0001");

    @TempDir
    Path dataDir;

    @Test
    void rotatesTheMasterKeyAcrossRestartsAndRefusesToStartWithAWrongOne() {
        String oldKey = MasterKeyLoaderTests.randomKey();
        String newKey = MasterKeyLoaderTests.randomKey();
        String oldKeyId = MasterKey.parse(oldKey, "").id();
        try (ConfigurableApplicationContext gateway = start("--gateway.registry.master-key=" + oldKey)) {
            gateway.getBean(DeviceRegistry.class).put(SHEEP, "sheep-secret", null);
            gateway.getBean(DeviceRegistry.class).put(GOAT, "goat-secret", null);
        }

        assertThatException().isThrownBy(() -> start("--gateway.registry.master-key=" + newKey))
            .havingRootCause()
            .withMessageContaining("2 device secret(s) encrypted with master key(s) [" + oldKeyId + "]")
            .withMessageNotContaining(oldKey)
            .withMessageNotContaining(newKey);

        try (ConfigurableApplicationContext gateway = start("--gateway.registry.master-key=" + newKey,
                "--gateway.registry.previous-master-keys[0]=" + oldKey)) {
            assertThat(secretOf(gateway, SHEEP)).isEqualTo("sheep-secret");
            KeyRotation rotation = gateway.getBean(KeyRotation.class);
            assertThat(rotation.status().devicesOnOlderKeys()).isEqualTo(2);
            assertThat(rotation.reEncrypt()).isEqualTo(2);
        }

        try (ConfigurableApplicationContext gateway = start("--gateway.registry.master-key=" + newKey)) {
            assertThat(secretOf(gateway, SHEEP)).isEqualTo("sheep-secret");
            assertThat(secretOf(gateway, GOAT)).isEqualTo("goat-secret");
        }
    }

    @Test
    void productionRefusesToStartWithoutAConfiguredKey() {
        // with an API client: the production profile refuses to run open before it looks at the registry
        assertThatException().isThrownBy(() -> start("--spring.profiles.active=production",
                "--gateway.security.clients[0].name=ops", "--gateway.security.clients[0].key-sha256=" + "ab".repeat(32),
                "--gateway.security.clients[0].roles=admin"))
            .havingRootCause()
            .withMessageContaining("No master key for the device registry");
        assertThatException().isThrownBy(() -> start("--gateway.registry.require-master-key=true"))
            .havingRootCause()
            .withMessageContaining("No master key for the device registry");
    }

    private ConfigurableApplicationContext start(String... arguments) {
        String[] all = new String[arguments.length + 3];
        all[0] = "--gateway.data-dir=" + this.dataDir;
        all[1] = "--server.port=0";
        all[2] = "--gateway.emulator.demo-device.enabled=false";
        System.arraycopy(arguments, 0, all, 3, arguments.length);
        return new SpringApplicationBuilder(GatewayApplication.class).run(all);
    }

    private static String secretOf(ConfigurableApplicationContext gateway, DeviceId device) {
        return gateway.getBean(CredentialService.class).find(device).orElseThrow().deviceSecret();
    }
}
