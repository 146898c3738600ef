package io.iotgateway.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.function.BiFunction;

import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * The TLS counterpart of {@link UntimedReadSocketFactory}: Paho creates an unconnected {@link SSLSocket} and
 * connects it itself, and the JDK's TLS sockets cannot be told to ignore Paho's one-second receive-poll timeout.
 * So the socket handed to Paho connects an {@link UntimedReadSocketFactory.UntimedReadSocket} and lays the JDK's
 * TLS socket over it; every TLS call goes to that layered socket, whose reads then block untimed on the plain one.
 * A stalled handshake is still bounded: the CONNECT is given up after the completion timeout and its socket
 * closed ({@link SignedClientFactory#abortPendingConnect()}).
 */
final class UntimedReadTlsSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory tls;

    UntimedReadTlsSocketFactory(SSLSocketFactory tls) {
        this.tls = tls;
    }

    @Override
    public Socket createSocket() {
        return new LayeredSocket(this.tls);
    }

    // Paho only calls createSocket() and connects the socket itself; the rest are the JDK factory's own
    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return this.tls.createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return this.tls.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return this.tls.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return this.tls.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return this.tls.createSocket(address, port, localAddress, localPort);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return this.tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return this.tls.getSupportedCipherSuites();
    }

    /** Connects the plain socket, then hands every call to the TLS socket laid over it. */
    static final class LayeredSocket extends SSLSocket {

        private final SSLSocketFactory tls;

        private final Socket plain = new UntimedReadSocketFactory.UntimedReadSocket();

        private volatile @Nullable SSLSocket layered;

        LayeredSocket(SSLSocketFactory tls) {
            this.tls = tls;
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            this.plain.connect(endpoint, timeout);
            InetSocketAddress address = (InetSocketAddress) endpoint;
            SSLSocket socket = (SSLSocket) this.tls.createSocket(this.plain, address.getHostString(),
                    address.getPort(), true);
            socket.setUseClientMode(true);
            this.layered = socket;
        }

        private SSLSocket layered() {
            SSLSocket socket = this.layered;
            if (socket == null) {
                throw new IllegalStateException("The TLS socket is not connected yet");
            }
            return socket;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return layered().getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return layered().getOutputStream();
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            this.plain.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws SocketException {
            return this.plain.getSoTimeout();
        }

        @Override
        public void close() throws IOException {
            SSLSocket socket = this.layered;
            if (socket != null) {
                socket.close();
            }
            this.plain.close();
        }

        @Override
        public boolean isConnected() {
            return this.plain.isConnected();
        }

        @Override
        public boolean isClosed() {
            return this.plain.isClosed();
        }

        @Override
        public InetAddress getInetAddress() {
            return this.plain.getInetAddress();
        }

        @Override
        public int getPort() {
            return this.plain.getPort();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return this.plain.getRemoteSocketAddress();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return this.plain.getLocalSocketAddress();
        }

        @Override
        public void startHandshake() throws IOException {
            layered().startHandshake();
        }

        @Override
        public SSLSession getSession() {
            return layered().getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return layered().getHandshakeSession();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return layered().getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            layered().setSSLParameters(params);
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return this.tls.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return layered().getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            layered().setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return layered().getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return layered().getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            layered().setEnabledProtocols(protocols);
        }

        @Override
        public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
            layered().addHandshakeCompletedListener(listener);
        }

        @Override
        public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
            layered().removeHandshakeCompletedListener(listener);
        }

        @Override
        public void setUseClientMode(boolean mode) {
            if (!mode) {
                throw new IllegalArgumentException("The gateway is always the TLS client");
            }
        }

        @Override
        public boolean getUseClientMode() {
            return true;
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            layered().setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return layered().getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            layered().setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return layered().getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            layered().setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return layered().getEnableSessionCreation();
        }

        @Override
        public String getApplicationProtocol() {
            return layered().getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return layered().getHandshakeApplicationProtocol();
        }

        @Override
        public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
            layered().setHandshakeApplicationProtocolSelector(selector);
        }

        @Override
        public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return layered().getHandshakeApplicationProtocolSelector();
        }

        @Override
        public String toString() {
            SSLSocket socket = this.layered;
            return "LayeredSocket[" + ((socket != null) ? socket : this.plain) + "]";
        }
    }
}
