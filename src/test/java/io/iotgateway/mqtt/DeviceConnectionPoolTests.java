package io.iotgateway.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.SignMethod;
import io.iotgateway.mqtt.transport.PahoExecutor;
import io.iotgateway.mqtt.transport.PlatformTls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class DeviceConnectionPoolTests {

    private final TaskScheduler scheduler = mock();

    private final PahoExecutor executor = new PahoExecutor();

    @Test
    void startAndStopAreIdempotentLikeSpringIntegrationsEndpoints() {
        MqttProperties settings = new Binder(new MapConfigurationPropertySource(
                Map.of("gateway.mqtt.idle-timeout", "1m"))).bindOrCreate("gateway.mqtt", Bindable.of(MqttProperties.class));
        CredentialService credentials = mock();
        DeviceConnectionFactory factory = new DeviceConnectionFactory(mock(BeanFactory.class),
                mock(ApplicationEventPublisher.class), credentials, new AliyunMqttSigner(Clock.systemUTC()),
                new PlatformProperties(null, "cn-shanghai", SignMethod.HMACSHA1),
                new PlatformEndpoint("tcp://127.0.0.1:1", "cn-shanghai"), settings, Clock.systemUTC(), this.executor,
                new PlatformTls(null));
        DeviceConnectionPool pool = new DeviceConnectionPool(factory, credentials, settings, Clock.systemUTC(),
                this.scheduler, new SimpleMeterRegistry(), DeviceOwnership.single("test"));
        try {
            pool.start();
            pool.start();

            assertThat(pool.isRunning()).isTrue();
            // one idle sweep, not one per start
            verify(this.scheduler, times(1)).scheduleWithFixedDelay(any(Runnable.class), eq(Duration.ofSeconds(15)));

            pool.stop();
            pool.stop();
            assertThat(pool.isRunning()).isFalse();
            pool.start();
            verify(this.scheduler, times(2)).scheduleWithFixedDelay(any(Runnable.class), eq(Duration.ofSeconds(15)));
        }
        finally {
            pool.stop();
            this.executor.shutdownNow();
        }
    }
}
