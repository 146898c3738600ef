package io.iotgateway;

import java.time.Clock;

import io.iotgateway.credential.AliyunMqttSigner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every capability shares: the clock, and the signer of the devices' logins. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AliyunMqttSigner aliyunMqttSigner(Clock clock) {
        return new AliyunMqttSigner(clock);
    }
}
