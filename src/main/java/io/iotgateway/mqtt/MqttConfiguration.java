package io.iotgateway.mqtt;

import java.time.Clock;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.CredentialService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
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
    DeviceConnectionPool deviceConnectionPool(IntegrationFlowContext flows, CredentialService credentials,
            AliyunMqttSigner signer, PlatformProperties platform, PlatformEndpoint endpoint, MqttProperties settings,
            Clock clock, TaskScheduler taskScheduler, PahoExecutor pahoExecutor, MeterRegistry meterRegistry,
            PlatformTls platformTls) {
        return new DeviceConnectionPool(flows, credentials, signer, platform, endpoint, settings, clock,
                taskScheduler, pahoExecutor, meterRegistry, platformTls);
    }

    // shut down after the pool (which depends on it) has disconnected every client
    @Bean(destroyMethod = "shutdownNow")
    PahoExecutor pahoExecutor() {
        return new PahoExecutor();
    }

    /**
     * Spring Integration times every channel and handler by name; with one flow per device that would be one set
     * of meters per device. Per-device detail belongs in health and the devices API, not in metrics.
     */
    @Bean
    MeterFilter perDeviceFlowMetersFilter() {
        return MeterFilter.deny(id -> id.getName().startsWith("spring.integration.")
                && String.valueOf(id.getTag("name")).startsWith(DeviceConnectionPool.FLOW_ID_PREFIX));
    }

    @Bean
    MqttHealthIndicator mqttHealthIndicator(DevicePublisher publisher) {
        return new MqttHealthIndicator(publisher);
    }
}
