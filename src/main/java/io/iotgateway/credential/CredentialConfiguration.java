package io.iotgateway.credential;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CredentialConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AliyunMqttSigner aliyunMqttSigner(Clock clock) {
        return new AliyunMqttSigner(clock);
    }

    /**
     * The devices of {@code gateway.devices}, plus the emulator's demo device: they win over the registry, and
     * {@link RegistryConfiguration} layers the registry under them.
     */
    @Bean
    InMemoryCredentialService configuredDevices(DevicesProperties properties) {
        return new InMemoryCredentialService(
                properties.devices().stream().map(DevicesProperties.ConfiguredDevice::toTriple).toList());
    }
}
