package io.iotgateway.emulator;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.mqtt.PlatformEndpoint;
import io.iotgateway.registry.InMemoryCredentialService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The out-of-the-box default: with no {@code gateway.platform.endpoint}, the gateway publishes to an embedded
 * IoT Platform emulator with one demo device.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${gateway.platform.endpoint:}'.isBlank()")
@EnableConfigurationProperties(EmulatorProperties.class)
class EmulatorConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(EmulatorConfiguration.class);

    private static final SecureRandom random = new SecureRandom();

    @Bean(destroyMethod = "stop")
    PlatformEmulator platformEmulator(EmulatorProperties properties, CredentialService credentials,
            ObjectProvider<InMemoryCredentialService> registry) {
        EmulatorProperties.DemoDevice demo = properties.demoDevice();
        boolean demoRegistered = demo.enabled() && registerDemoDevice(demo, registry.getIfAvailable());
        PlatformEmulator emulator = new PlatformEmulator(properties, credentials).start();
        logger.warn("Publishing to an EMULATOR of Alibaba Cloud IoT Platform on {}, not to Alibaba Cloud: messages "
                + "stay on this machine. Set gateway.platform.endpoint to publish to the real platform.",
                emulator.uri());
        if (demoRegistered) {
            logger.info("Emulator demo device {}/{} registered with a secret generated for this run; try topic "
                    + "/{}/{}/user/sheep", demo.productKey(), demo.deviceName(), demo.productKey(), demo.deviceName());
        }
        return emulator;
    }

    // the endpoint depends on the started emulator, so whoever connects finds it listening
    @Bean
    PlatformEndpoint platformEndpoint(PlatformEmulator emulator) {
        return new PlatformEndpoint(emulator.uri(), "emulator");
    }

    @Bean
    EmulatorInbox emulatorInbox(PlatformEmulator emulator) {
        return emulator.inbox();
    }

    private static boolean registerDemoDevice(EmulatorProperties.DemoDevice demo,
            @Nullable InMemoryCredentialService registry) {
        if (registry == null) {
            logger.warn("Emulator demo device not registered: the credential service is not in memory");
            return false;
        }
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        registry.register(new DeviceTriple(demo.productKey(), demo.deviceName(), HexFormat.of().formatHex(secret)));
        return true;
    }
}
