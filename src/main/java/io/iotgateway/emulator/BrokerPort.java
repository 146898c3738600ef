package io.iotgateway.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The loopback port Moquette listens on behind the {@link FrontDoor}.
 */
final class BrokerPort {

    static final String LOOPBACK = "127.0.0.1";

    private BrokerPort() {
    }

    /**
     * A free loopback port, found by binding it here first. Moquette can bind port 0 itself, but it reports the bound
     * port through a plain {@code HashMap} that its {@code getPort()} also writes into ({@code computeIfAbsent} with
     * 0): asked while the bind completes, the two writes can race and the port read as 0 for good (seen in CI).
     */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The IoT Platform emulator finds no free loopback port", ex);
        }
    }

    /** Moquette binds after startServer returns: waits until the port takes connections. */
    static void awaitListening(int port, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!accepts(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The IoT Platform emulator's broker is not listening on port " + port
                        + " after " + wait);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
