package io.iotgateway.mqtt.transport;

import java.io.IOException;
import java.io.InputStream;

import javax.net.SocketFactory;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.TCPNetworkModule;

/** Paho's plain TCP module with untimed reads and the connection's {@link WireActivity} (securemode 3). */
final class UntimedTcpNetworkModule extends TCPNetworkModule {

    private final WireActivity wire;

    UntimedTcpNetworkModule(String host, int port, String clientId, int connectTimeoutSeconds, WireActivity wire) {
        super(SocketFactory.getDefault(), host, port, clientId);
        setConnectTimeout(connectTimeoutSeconds);
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
