package io.iotgateway.mqtt;

import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

/**
 * A Paho client that may be connected before Spring Integration's handler takes it (warm-up, so that the first
 * message does not pay for the CONNECT). The handler connects every client it is given; a client that is already
 * connected answers that with its completed CONNECT token instead of failing with "already connected".
 */
final class WarmableMqttClient extends MqttAsyncClient {

    private volatile @Nullable IMqttToken connectToken;

    WarmableMqttClient(String serverUri, String clientId, ScheduledExecutorService executor) throws MqttException {
        super(serverUri, clientId, new MemoryPersistence(), new ScheduledExecutorPingSender(executor), executor);
    }

    @Override
    public IMqttToken connect(MqttConnectOptions options, @Nullable Object userContext,
            @Nullable IMqttActionListener callback) throws MqttException {
        IMqttToken done = this.connectToken;
        if (done != null && isConnected()) {
            return done;
        }
        IMqttToken token = super.connect(options, userContext, callback);
        this.connectToken = token;
        return token;
    }
}
