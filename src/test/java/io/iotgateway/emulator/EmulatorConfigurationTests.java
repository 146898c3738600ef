package io.iotgateway.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.credential.MqttConnectCredentials;
import io.iotgateway.credential.SecureMode;
import io.iotgateway.credential.SignMethod;
import io.iotgateway.mqtt.PlatformEndpoint;
import io.iotgateway.registry.InMemoryCredentialService;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing a context with an emulator takes two seconds (Netty's shutdown quiet period), so each run checks as much
 * as it can.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmulatorConfigurationTests {

    private static final DeviceId DEMO = new DeviceId("a61QmwQD5ZF", "mosheep");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withUserConfiguration(EmulatorConfiguration.class)
        .withBean(InMemoryCredentialService.class, () -> new InMemoryCredentialService(List.of()));

    @Test
    void withoutEndpointStartsEmulatorAndPointsTheGatewayAtIt() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(PlatformEmulator.class).hasSingleBean(EmulatorInbox.class);
            PlatformEmulator emulator = context.getBean(PlatformEmulator.class);
            assertThat(emulator.port()).isPositive();
            assertThat(context.getBean(PlatformEndpoint.class))
                .isEqualTo(new PlatformEndpoint("tcp://127.0.0.1:" + emulator.port(), "emulator"));
            assertThat(context.getBean(EmulatorInbox.class)).isSameAs(emulator.inbox());

            publishAs(demoDevice(context), context.getBean(PlatformEndpoint.class).uriFor(DEMO), "baa");
            assertThat(emulator.inbox().awaitMessage((m) -> m.payloadAsString().equals("baa"), Duration.ofSeconds(5)))
                .hasValueSatisfying((m) -> assertThat(m.topic()).isEqualTo("/a61QmwQD5ZF/mosheep/user/sheep"));
        });
    }

    @Test
    void everyStartRegistersTheDemoDeviceWithAFreshSecretThatIsNeverLogged(CapturedOutput output) {
        List<String> secrets = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            this.runner.run((context) -> {
                secrets.add(demoDevice(context).deviceSecret());
                assertThat(output).contains("EMULATOR of Alibaba Cloud IoT Platform on tcp://127.0.0.1:"
                        + context.getBean(PlatformEmulator.class).port())
                    .contains("Set gateway.platform.endpoint")
                    .contains("a61QmwQD5ZF/mosheep", "/a61QmwQD5ZF/mosheep/user/sheep");
            });
        }

        assertThat(secrets).allSatisfy((secret) -> assertThat(secret).matches("[0-9a-f]{32}"))
            .doesNotHaveDuplicates();
        assertThat(output).doesNotContain(secrets);
    }

    @Test
    void blankEndpointAlsoStartsEmulatorWhoseDemoDeviceCanBeSwitchedOff() {
        this.runner.withPropertyValues("gateway.platform.endpoint= ", "gateway.emulator.demo-device.enabled=false")
            .run((context) -> {
                assertThat(context).hasSingleBean(PlatformEmulator.class).hasSingleBean(PlatformEndpoint.class);
                assertThat(context.getBean(InMemoryCredentialService.class).deviceIds()).isEmpty();
            });
    }

    @Test
    void withEndpointThereIsNoEmulator() {
        this.runner.withPropertyValues("gateway.platform.endpoint=tcp://127.0.0.1:1")
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(PlatformEmulator.class)
                .doesNotHaveBean(PlatformEndpoint.class)
                .doesNotHaveBean(EmulatorInbox.class));
    }

    @Test
    void refusesInvalidSettings() {
        this.runner.withPropertyValues("gateway.emulator.port=70000")
            .run((context) -> assertThat(context).hasFailed());
        this.runner.withPropertyValues("gateway.emulator.keep-alive-min=2000s")
            .run((context) -> assertThat(context).hasFailed());
    }

    private static DeviceTriple demoDevice(AssertableApplicationContext context) {
        return context.getBean(InMemoryCredentialService.class).find(DEMO).orElseThrow();
    }

    private static void publishAs(DeviceTriple device, String uri, String payload) throws MqttException {
        MqttConnectCredentials login = new AliyunMqttSigner(Clock.systemUTC()).sign(device,
                device.id().defaultClientId(), SignMethod.HMACSHA1, SecureMode.TCP);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(login.username());
        options.setPassword(login.password().toCharArray());
        options.setKeepAliveInterval(60);
        try (MqttClient client = new MqttClient(uri, login.clientId(), new MemoryPersistence())) {
            client.setTimeToWait(10_000);
            client.connect(options);
            client.publish("/a61QmwQD5ZF/mosheep/user/sheep", payload.getBytes(), 1, false);
            client.disconnect();
        }
    }
}
