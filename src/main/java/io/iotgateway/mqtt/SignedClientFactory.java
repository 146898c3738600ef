package io.iotgateway.mqtt;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.credential.MqttConnectCredentials;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttClient;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.MqttPahoClientFactory;

/**
 * Paho clients for one device, each signed afresh. {@code MqttPahoMessageHandler} asks for the connection options
 * and then for a client on every (re)connect; the options carry a password signed over a new timestamp, and the
 * client gets the matching MQTT client id (which embeds that timestamp) instead of the handler's fixed id.
 */
final class SignedClientFactory implements MqttPahoClientFactory {

    private final Supplier<Optional<DeviceTriple>> device;

    private final AliyunMqttSigner signer;

    private final PlatformProperties platform;

    private final PlatformEndpoint endpoint;

    private final MqttProperties mqtt;

    private final ScheduledExecutorService executor;

    private final PlatformTls tls;

    // set by getConnectionOptions, read by the client creation that the handler makes right after under its lock
    private volatile @Nullable String signedClientId;

    private volatile @Nullable MqttAsyncClient lastClient;

    // connected by the warm-up, waiting for the handler's first connect
    private volatile @Nullable WarmableMqttClient warmClient;

    SignedClientFactory(Supplier<Optional<DeviceTriple>> device, AliyunMqttSigner signer, PlatformProperties platform,
            PlatformEndpoint endpoint, MqttProperties mqtt, ScheduledExecutorService executor, PlatformTls tls) {
        this.tls = tls;
        this.executor = executor;
        this.device = device;
        this.signer = signer;
        this.platform = platform;
        this.endpoint = endpoint;
        this.mqtt = mqtt;
    }

    @Override
    public MqttConnectOptions getConnectionOptions() {
        Optional<DeviceTriple> current = this.device.get();
        if (current.isEmpty()) {
            // removed from the registry: Spring Integration still asks while disconnecting; no login can follow
            return new MqttConnectOptions();
        }
        DeviceTriple triple = current.get();
        MqttConnectCredentials credentials = this.signer.sign(triple, triple.id().defaultClientId(),
                this.platform.signMethod(), this.endpoint.secureMode());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(credentials.username());
        options.setPassword(credentials.password().toCharArray());
        options.setCleanSession(true);
        options.setKeepAliveInterval((int) this.mqtt.keepAlive().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, (this.mqtt.completionTimeout().toMillis() + 999) / 1000));
        options.setMaxInflight(this.mqtt.maxInflight());
        // 3.1.1 only: Paho's default retries a refused CONNECT as 3.1, spending two of the platform's 5 connects/min
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // the handler reconnects on the next send; Paho's own reconnect would fight it and leak a timer thread
        options.setAutomaticReconnect(false);
        if (this.tls.socketFactory() != null) {
            // ssl://: the platform's certificate against the trusted roots, and its host name (Paho adds SNI)
            options.setSocketFactory(this.tls.socketFactory());
            options.setHttpsHostnameVerificationEnabled(true);
        }
        else {
            options.setSocketFactory(UntimedReadSocketFactory.INSTANCE);
        }
        this.signedClientId = credentials.clientId();
        return options;
    }

    @Override
    public IMqttAsyncClient getAsyncClientInstance(@Nullable String url, @Nullable String clientId)
            throws MqttException {
        WarmableMqttClient warm = this.warmClient;
        this.warmClient = null;
        if (warm != null && warm.isConnected()) {
            return warm;
        }
        closeQuietly(warm);
        MqttAsyncClient client = new WarmableMqttClient(url, currentClientId(), this.executor);
        this.lastClient = client;
        return client;
    }

    /**
     * Connects a client ahead of the first message; the handler's first connect then takes it as it is.
     * @throws MqttException the platform refused or did not answer in time (the client is closed)
     */
    void preconnect(String url, long timeoutMillis) throws MqttException {
        MqttConnectOptions options = getConnectionOptions();
        WarmableMqttClient client = new WarmableMqttClient(url, currentClientId(), this.executor);
        this.lastClient = client;
        try {
            client.connect(options).waitForCompletion(timeoutMillis);
            this.warmClient = client;
        }
        catch (MqttException ex) {
            // nobody else holds this client: drop its connection and release it
            closeQuietly(client);
            throw ex;
        }
    }

    private static void closeQuietly(@Nullable MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        disconnectQuietly(client);
        try {
            client.close(true);
        }
        catch (MqttException ex) {
            // closed already
        }
    }

    private static void disconnectQuietly(MqttAsyncClient client) {
        try {
            client.disconnectForcibly(0, 0, false);
        }
        catch (MqttException ex) {
            // already down
        }
    }

    /**
     * Drops a CONNECT that never got its CONNACK. Paho keeps such a client "connecting" (it has no CONNACK
     * timeout of its own) and Spring Integration cannot close it, so every later send would fail until the stalled
     * socket died; disconnecting it here frees the socket. The client itself is left to the handler, which still
     * holds it and closes it on the next send before it connects a new one: a client closed under the handler
     * would fail every later send of the device (Paho throws a {@code NullPointerException} from a closed client's
     * {@code setCallback}).
     */
    void abortPendingConnect() {
        MqttAsyncClient client = this.lastClient;
        if (client != null && !client.isConnected()) {
            disconnectQuietly(client);
        }
    }

    @Override
    public IMqttClient getClientInstance(@Nullable String url, @Nullable String clientId) throws MqttException {
        // the gateway publishes with async clients only; this one runs on the same executor all the same, since
        // its untimed socket reads end only when Paho interrupts a virtual-thread receiver
        return new MqttClient(url, currentClientId(), new MemoryPersistence(), this.executor);
    }

    private String currentClientId() {
        String clientId = this.signedClientId;
        if (clientId == null) {
            getConnectionOptions();
            clientId = this.signedClientId;
        }
        return clientId;
    }
}
