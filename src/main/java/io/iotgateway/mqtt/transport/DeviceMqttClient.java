package io.iotgateway.mqtt.transport;

import java.net.URI;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLSocketFactory;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

/**
 * One login of a device: a Paho client on the shared {@link PahoExecutor}, with the network modules of the gateway
 * ({@link UntimedTcpNetworkModule}, {@link UntimedTlsNetworkModule}) and the device connection's callback from
 * the moment it exists.
 * <p>
 * The {@link DeviceConnection} connects it and only then hands it to Spring Integration's handler, which calls
 * {@code connect} and {@code setCallback} on every client it is given: a connected client answers the first with
 * its completed CONNECT token, and keeps its callback on the second. The handler's own callback only logs a loss
 * at ERROR and closes the client, which its next send does anyway; the connection's callback must see every
 * loss, also of a client the handler has not taken yet (a warm client that another login kicked). The same
 * callback hands every arriving message to the device's subscriptions.
 */
public final class DeviceMqttClient extends MqttAsyncClient implements DeviceLogin {

    private static final Log log = LogFactory.getLog(DeviceMqttClient.class);

    // the SUBACK return code of a refused filter (MQTT 3.1.1, 3.9.3)
    private static final int SUBACK_FAILURE = 0x80;

    private final @Nullable SSLSocketFactory tls;

    private final WireActivity wire = new WireActivity();

    private volatile @Nullable IMqttToken connectToken;

    public DeviceMqttClient(String serverUri, String clientId, ScheduledExecutorService executor,
            @Nullable SSLSocketFactory tls, DeviceLogin.LossListener listener, DeviceLogin.ArrivalListener arrivals)
            throws MqttException {
        super(serverUri, clientId, new MemoryPersistence(), new ScheduledExecutorPingSender(executor), executor);
        this.tls = tls;
        super.setCallback(new MqttCallback() {

            @Override
            public void connectionLost(Throwable cause) {
                listener.lost(DeviceMqttClient.this, cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    arrivals.arrived(topic, message.getPayload());
                }
                catch (RuntimeException ex) {
                    // Paho would close the connection over an exception thrown here: one bad message must not
                    log.warn("A message on topic " + topic + " could not be handled: " + ex);
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // publishes wait for their own tokens
            }
        });
    }

    @Override
    public void setCallback(@Nullable MqttCallback callback) {
        // the connection's callback stays (see the class comment)
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

    @Override
    protected NetworkModule[] createNetworkModules(String address, MqttConnectOptions options) {
        URI uri = URI.create(address);
        int timeout = options.getConnectionTimeout();
        NetworkModule module = (this.tls != null)
                ? new UntimedTlsNetworkModule(this.tls, uri.getHost(), port(uri, 8883), getClientId(), timeout, this.wire)
                : new UntimedTcpNetworkModule(uri.getHost(), port(uri, 1883), getClientId(), timeout, this.wire);
        return new NetworkModule[] { module };
    }

    private static int port(URI uri, int defaultPort) {
        return (uri.getPort() != -1) ? uri.getPort() : defaultPort;
    }

    /** The network connection was opened, so Paho sent (or was about to send) the CONNECT. */
    public boolean transportOpened() {
        return this.wire.opened();
    }

    @Override
    public void subscribe(String[] topicFilters, long timeoutMillis) throws MqttException {
        int[] qos = new int[topicFilters.length];
        IMqttToken token = subscribe(topicFilters, qos);
        token.waitForCompletion(timeoutMillis);
        int[] granted = token.getGrantedQos();
        for (int i = 0; i < granted.length; i++) {
            if (granted[i] == SUBACK_FAILURE) {
                throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
            }
        }
    }

    @Override
    public long lastInboundNanos() {
        return this.wire.lastInboundNanos();
    }

    /** Resets the socket first, so nothing still buffered is delivered later; Paho may still report the loss. */
    @Override
    public void abort() {
        this.wire.reset();
        release();
    }

    @Override
    public void logOut(long timeoutMillis) {
        try {
            disconnect(timeoutMillis, null, null).waitForCompletion(timeoutMillis);
        }
        catch (MqttException ex) {
            // gone already, or the platform did not answer: released below all the same
        }
        finally {
            release();
        }
    }

    /** Disconnects at once, without waiting for the platform, and releases the client. */
    @Override
    public void release() {
        try {
            disconnectForcibly(0, 0, false);
        }
        catch (MqttException ex) {
            // already down
        }
        try {
            close(true);
        }
        catch (MqttException ex) {
            // closed already
        }
    }
}
