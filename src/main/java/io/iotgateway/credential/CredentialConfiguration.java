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

    @Bean
    InMemoryCredentialService credentialService(DevicesProperties properties) {
        return new InMemoryCredentialService(
                properties.devices().stream().map(DevicesProperties.ConfiguredDevice::toTriple).toList());
    }
}
