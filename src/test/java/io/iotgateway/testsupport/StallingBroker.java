package io.iotgateway.testsupport;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on a free loopback port that plays a broker which hangs, to test timeouts without waiting for a real
 * outage. It speaks just enough MQTT 3.1.1 for its {@link Mode}.
 */
public final class StallingBroker implements AutoCloseable {

    private static final byte[] CONNACK_ACCEPTED = { 0x20, 0x02, 0x00, 0x00 };

    private static final byte[] PINGRESP = { (byte) 0xD0, 0x00 };

    private static final int PUBACK = 0x40;

    private static final int CONNECT = 1;

    private static final int PUBLISH = 3;

    private static final int PINGREQ = 12;

    private static final int DISCONNECT = 14;

    private final Mode mode;

    private final ServerSocket serverSocket;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private final AtomicInteger connections = new AtomicInteger();

    private final AtomicInteger publishes = new AtomicInteger();

    private StallingBroker(Mode mode, ServerSocket serverSocket) {
        this.mode = mode;
        this.serverSocket = serverSocket;
    }

    /** Listens on a free loopback port and serves connections on virtual threads until {@link #close()}. */
    public static StallingBroker start(Mode mode) {
        try {
            StallingBroker broker = new StallingBroker(mode, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread.ofVirtual().name("stalling-broker-accept-" + broker.port()).start(broker::acceptLoop);
            return broker;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public Mode mode() {
        return mode;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The address for Paho, {@code tcp://127.0.0.1:<port>}. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** TCP connections accepted so far. */
    public int connectionCount() {
        return connections.get();
    }

    /** Connections the client has not closed yet, e.g. to see that a client gave up a hung connection. */
    public int openConnectionCount() {
        return sockets.size();
    }

    /** PUBLISH packets received so far (not counted in {@link Mode#NO_CONNACK}). */
    public int publishCount() {
        return publishes.get();
    }

    /** Closes the listening socket and every open connection. */
    @Override
    public void close() {
        closeQuietly(serverSocket);
        sockets.forEach(StallingBroker::closeQuietly);
    }

    @Override
    public String toString() {
        return "StallingBroker[" + mode + ", " + uri() + "]";
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                sockets.add(socket);
                int number = connections.incrementAndGet();
                Thread.ofVirtual().name("stalling-broker-" + socket.getPort()).start(() -> serve(socket, number));
            }
            catch (IOException ex) {
                // closed by close(); the loop condition ends it
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (mode == Mode.NO_CONNACK || (mode == Mode.FIRST_CONNECT_STALLS && number == 1)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            else {
                answer(in, socket.getOutputStream(), mode == Mode.FIRST_CONNECT_STALLS);
            }
        }
        catch (IOException ex) {
            // the client hung up or close() closed the socket: either way this connection is over
        }
        finally {
            sockets.remove(socket);
        }
    }

    private void answer(InputStream in, OutputStream out, boolean acknowledgePublish) throws IOException {
        for (int firstByte = in.read(); firstByte >= 0; firstByte = in.read()) {
            byte[] rest = in.readNBytes(readRemainingLength(in));
            switch (firstByte >> 4) {
                case CONNECT -> out.write(CONNACK_ACCEPTED);
                case PINGREQ -> out.write(PINGRESP);
                case PUBLISH -> {
                    publishes.incrementAndGet();
                    int qos = (firstByte >> 1) & 3;
                    if (acknowledgePublish && qos == 1) {
                        // the packet id follows the topic (a two-byte length and the topic itself)
                        int idAt = 2 + (((rest[0] & 0xFF) << 8) | (rest[1] & 0xFF));
                        out.write(new byte[] { (byte) PUBACK, 0x02, rest[idAt], rest[idAt + 1] });
                    }
                }
                case DISCONNECT -> {
                    return;
                }
                default -> {
                    // SUBSCRIBE and the rest: a hung broker answers nothing else
                }
            }
            out.flush();
        }
    }

    /** Decodes MQTT's "remaining length": up to four bytes, seven bits each, least significant first. */
    private static int readRemainingLength(InputStream in) throws IOException {
        int length = 0;
        for (int i = 0; i < 4; i++) {
            int digit = in.read();
            if (digit < 0) {
                throw new EOFException("Connection closed inside a fixed header");
            }
            length |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                return length;
            }
        }
        throw new IOException("Malformed remaining length");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ex) {
            // nothing left to do with a socket that will not close
        }
    }

    /** How the broker hangs. */
    public enum Mode {

        /** Accepts TCP connections and reads everything, but never answers, not even CONNECT. */
        NO_CONNACK,

        /** Accepts every CONNECT and answers PINGREQ, but never acknowledges a PUBLISH (nor a SUBSCRIBE). */
        NO_PUBACK,

        /**
         * Never answers the first TCP connection (like {@link #NO_CONNACK}), then answers every later one like a
         * healthy broker: CONNACK, PUBACK for QoS 1, PINGRESP. A platform that was slow once.
         */
        FIRST_CONNECT_STALLS

    }

}
