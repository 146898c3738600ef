package io.iotgateway.mqtt;

import java.time.Clock;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.CredentialService;
import io.iotgateway.mqtt.transport.PahoExecutor;
import io.iotgateway.mqtt.transport.PlatformTls;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;

@Configuration(proxyBeanMethods = false)
class MqttConfiguration {

    /** The configured platform; without one, the emulator supplies the endpoint. */
    @Bean
    @ConditionalOnExpression("!'${gateway.platform.endpoint:}'.isBlank()")
    PlatformEndpoint platformEndpoint(PlatformProperties platform) {
        return new PlatformEndpoint(platform.endpoint(), platform.region());
    }

    @Bean
    DeviceConnectionPool deviceConnectionPool(BeanFactory beanFactory, ApplicationEventPublisher events,
            CredentialService credentials, AliyunMqttSigner signer, PlatformProperties platform,
            PlatformEndpoint endpoint, MqttProperties settings, Clock clock, TaskScheduler taskScheduler,
            PahoExecutor pahoExecutor, MeterRegistry meterRegistry, PlatformTls platformTls, DeviceOwnership ownership) {
        DeviceConnectionFactory factory = new DeviceConnectionFactory(beanFactory, events, credentials, signer,
                platform, endpoint, settings, clock, pahoExecutor, platformTls);
        return new DeviceConnectionPool(factory, credentials, settings, clock, taskScheduler, meterRegistry,
                ownership);
    }

    // shut down after the pool (which depends on it) has disconnected every client
    @Bean(destroyMethod = "shutdownNow")
    PahoExecutor pahoExecutor() {
        return new PahoExecutor();
    }

    @Bean
    MqttHealthIndicator mqttHealthIndicator(DevicePublisher publisher) {
        return new MqttHealthIndicator(publisher);
    }
}
