package io.iotgateway.mqtt;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.iotgateway.mqtt.transport.DeviceMqttClient;
import io.iotgateway.mqtt.transport.DeviceLogin;
import io.iotgateway.mqtt.transport.PlatformTls;
import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.credential.MqttConnectCredentials;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.MqttPahoClientFactory;

/**
 * The logins of one device. {@link #login} signs a fresh CONNECT (the password covers a new timestamp, and the
 * client id embeds it) and connects a {@link DeviceMqttClient}; Spring Integration's handler then asks this
 * factory for a client and gets that connected one. The handler never connects a client itself: a connect
 * failure therefore always comes from {@link #login}, as Paho's own exception with its reason code.
 */
final class SignedClientFactory implements MqttPahoClientFactory, DeviceLogin.Factory {

    private final Supplier<Optional<DeviceTriple>> device;

    private final String url;

    private final AliyunMqttSigner signer;

    private final PlatformProperties platform;

    private final PlatformEndpoint endpoint;

    private final MqttProperties mqtt;

    private final ScheduledExecutorService executor;

    private final PlatformTls tls;

    // the connected login the handler takes on its next send
    private volatile @Nullable DeviceMqttClient current;

    SignedClientFactory(Supplier<Optional<DeviceTriple>> device, String url, AliyunMqttSigner signer,
            PlatformProperties platform, PlatformEndpoint endpoint, MqttProperties mqtt, ScheduledExecutorService executor,
            PlatformTls tls) {
        this.url = url;
        this.tls = tls;
        this.executor = executor;
        this.device = device;
        this.signer = signer;
        this.platform = platform;
        this.endpoint = endpoint;
        this.mqtt = mqtt;
    }

    @Override
    public DeviceMqttClient login(DeviceLogin.LossListener listener, DeviceLogin.ArrivalListener arrivals)
            throws DeviceLogin.LoginFailedException {
        DeviceTriple triple = this.device.get()
            .orElseThrow(() -> new GatewayException(ProblemType.UNKNOWN_DEVICE, "The device is no longer registered."));
        MqttConnectCredentials credentials = this.signer.sign(triple, triple.id().defaultClientId(),
                this.platform.signMethod(), this.endpoint.secureMode());
        DeviceMqttClient client = null;
        try {
            client = new DeviceMqttClient(this.url, credentials.clientId(), this.executor, this.tls.socketFactory(),
                    listener, arrivals);
            client.connect(options(credentials)).waitForCompletion(this.mqtt.completionTimeout().toMillis());
        }
        catch (MqttException ex) {
            boolean reachedPlatform = client != null && client.transportOpened();
            if (client != null) {
                // a CONNECT without CONNACK leaves Paho "connecting" for good: drop its socket with the client
                client.release();
            }
            throw new DeviceLogin.LoginFailedException(ex, reachedPlatform);
        }
        this.current = client;
        return client;
    }

    private MqttConnectOptions options(MqttConnectCredentials credentials) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(credentials.username());
        options.setPassword(credentials.password().toCharArray());
        options.setCleanSession(true);
        options.setKeepAliveInterval((int) this.mqtt.keepAlive().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, (this.mqtt.completionTimeout().toMillis() + 999) / 1000));
        options.setMaxInflight(this.mqtt.maxInflight());
        // 3.1.1 only: Paho's default retries a refused CONNECT as 3.1, spending two of the platform's 5 connects/min
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // the device connection reconnects itself; Paho's own reconnect would fight it and leak a timer thread
        options.setAutomaticReconnect(false);
        return options;
    }

    @Override
    public void forget(DeviceLogin client) {
        if (this.current == client) {
            this.current = null;
        }
    }

    @Override
    public MqttConnectOptions getConnectionOptions() {
        // asked by the handler before every client it takes; it connects nothing with them (see the class comment)
        return new MqttConnectOptions();
    }

    @Override
    public IMqttAsyncClient getAsyncClientInstance(@Nullable String url, @Nullable String clientId)
            throws MqttException {
        DeviceMqttClient client = this.current;
        if (client == null || !client.isConnected()) {
            // the login was lost between the connection's check and the handler's send
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
        }
        return client;
    }

    @Override
    public IMqttClient getClientInstance(@Nullable String url, @Nullable String clientId) {
        throw new UnsupportedOperationException("The gateway publishes with asynchronous clients only");
    }
}
