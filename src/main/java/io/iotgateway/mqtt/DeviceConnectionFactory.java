package io.iotgateway.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.limit.SlidingWindow;
import io.iotgateway.mqtt.transport.PlatformTls;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.mqtt.outbound.MqttPahoMessageHandler;

/**
 * Builds a device's connection: its signed logins, Spring Integration's outbound handler over them (initialised and
 * started as the context would, with the application's bean factory and event publisher), and its connect gate.
 * Holds what outlives a connection: each device's connect attempts (closing and reopening a connection, for a
 * rotated secret or when idle, must not reset the platform's limit) and the gateway-wide connect rate.
 */
public final class DeviceConnectionFactory {

    private final BeanFactory beanFactory;

    private final ApplicationEventPublisher events;

    private final CredentialService credentials;

    private final AliyunMqttSigner signer;

    private final PlatformProperties platform;

    private final PlatformEndpoint endpoint;

    private final MqttProperties settings;

    private final Clock clock;

    private final ScheduledExecutorService pahoExecutor;

    private final PlatformTls tls;

    private final LongSupplier nanoTime = System::nanoTime;

    private final Map<DeviceId, SlidingWindow> connectAttempts = new ConcurrentHashMap<>();

    private final SlidingWindow connectRate;

    public DeviceConnectionFactory(BeanFactory beanFactory, ApplicationEventPublisher events,
            CredentialService credentials, AliyunMqttSigner signer, PlatformProperties platform,
            PlatformEndpoint endpoint, MqttProperties settings, Clock clock, ScheduledExecutorService pahoExecutor,
            PlatformTls tls) {
        this.beanFactory = beanFactory;
        this.events = events;
        this.credentials = credentials;
        this.signer = signer;
        this.platform = platform;
        this.endpoint = endpoint;
        this.settings = settings;
        this.clock = clock;
        this.pahoExecutor = pahoExecutor;
        this.tls = tls;
        this.connectRate = new SlidingWindow(settings.maxConnectsPerSecond(), Duration.ofSeconds(1));
    }

    DeviceConnection create(DeviceId device, DeviceConnection.Supervisor supervisor, ConnectionMetrics metrics,
            DeviceSubscriptions subscriptions) {
        String url = this.endpoint.uriFor(device);
        SignedClientFactory logins = new SignedClientFactory(() -> this.credentials.find(device), url, this.signer,
                this.platform, this.endpoint, this.settings, this.pahoExecutor, this.tls);
        MqttPahoMessageHandler handler = new MqttPahoMessageHandler(url, device.defaultClientId(), logins);
        handler.setCompletionTimeout(this.settings.completionTimeout().toMillis());
        handler.setDisconnectCompletionTimeout(this.settings.disconnectTimeout().toMillis());
        handler.setDefaultQos(1);
        handler.setBeanFactory(this.beanFactory);
        handler.setApplicationEventPublisher(this.events);
        handler.afterPropertiesSet();
        handler.start();
        SlidingWindow attempts = this.connectAttempts.computeIfAbsent(device,
                id -> new SlidingWindow(this.settings.maxConnectsPerMinute(), ConnectGate.DEVICE_WINDOW));
        return new DeviceConnection(device, handler::handleMessage, logins, this.settings, this.clock, this.nanoTime,
                supervisor, metrics, new ConnectGate(attempts, this.connectRate, this.nanoTime), subscriptions);
    }

    /** At most {@code max-connects-per-second} logins across the gateway, whoever starts them. */
    SlidingWindow connectRate() {
        return this.connectRate;
    }
}
