package io.iotgateway.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

import javax.net.SocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * Plain TCP sockets for Paho that keep blocking reads untimed. Paho gives every socket a one-second read timeout
 * so that its receiver can poll for shutdown; an idle connection then throws and catches a
 * {@code SocketTimeoutException} every second (10,000 a second with 10,000 devices), and on a virtual thread
 * every read also schedules and cancels a timer. The receiver does not need the poll on the gateway's
 * {@link PahoExecutor}: Paho stops it by cancelling its task, which interrupts the virtual thread, and an
 * interrupted virtual thread's socket read ends at once (the socket is closed). A dead broker is still noticed by
 * the keep-alive pings.
 */
final class UntimedReadSocketFactory extends SocketFactory {

    static final UntimedReadSocketFactory INSTANCE = new UntimedReadSocketFactory();

    private UntimedReadSocketFactory() {
    }

    @Override
    public Socket createSocket() {
        return new UntimedReadSocket();
    }

    // Paho only calls createSocket() and connects the socket itself; the rest are for completeness
    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(SocketAddress remote, @Nullable SocketAddress local) throws IOException {
        Socket socket = createSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(remote);
        return socket;
    }

    /** A socket on which read timeouts are not set: reads block until data, end of stream, close or interrupt. */
    static final class UntimedReadSocket extends Socket {

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            // Paho's receiver poll (1 s) is what this socket is for leaving out; CONNECT has its own timeout
            super.setSoTimeout(0);
        }
    }
}
