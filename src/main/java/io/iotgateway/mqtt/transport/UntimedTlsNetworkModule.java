package io.iotgateway.mqtt.transport;

import java.io.IOException;
import java.io.InputStream;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.SSLNetworkModule;

/**
 * Paho's TLS module (SNI, host name verification, a handshake bounded by the connect timeout) with untimed reads
 * once the handshake is done, and the connection's {@link WireActivity} (securemode 2).
 */
final class UntimedTlsNetworkModule extends SSLNetworkModule {

    private final WireActivity wire;

    UntimedTlsNetworkModule(SSLSocketFactory tls, String host, int port, String clientId, int connectTimeoutSeconds,
            WireActivity wire) {
        super(tls, host, port, clientId);
        setConnectTimeout(connectTimeoutSeconds);
        setSSLhandshakeTimeout(connectTimeoutSeconds);
        setHttpsHostnameVerificationEnabled(true);
        this.wire = wire;
    }

    @Override
    public void start() throws IOException, MqttException {
        super.start();
        this.wire.opened(this.socket);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return this.wire.recording(super.getInputStream());
    }
}
