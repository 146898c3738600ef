package io.iotgateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on a free loopback port between a client under test and its server (the gateway and a mosquitto
 * broker), with network faults switched at runtime, in the spirit of Toxiproxy. Every fault applies at once to the
 * open connections and to new ones:
 * <ul>
 * <li>{@link #blackHole()}: a partition in which the kernel on each side still thinks its peer is alive. Every
 * socket stays open, new TCP connections are accepted, and every byte in both directions is dropped; a side that
 * closes is not seen by the other one until {@link #heal()}.</li>
 * <li>{@link #delay(Duration)}: each chunk read is held this long before it is written on.</li>
 * <li>{@link #dropConnections()}: resets every open connection now (a one-off, not a mode).</li>
 * <li>{@link #refuse()}: closes the listening socket, so new connections are refused; open ones carry on.</li>
 * <li>{@link #heal()}: back to pass-through, listening again on the same port.</li>
 * </ul>
 * {@code blackHole}, {@code delay} and {@code heal} each replace the traffic mode before them; {@code refuse} lasts
 * until {@code heal}. Each connection costs two virtual threads, one per direction, and {@link #close()} ends them
 * all.
 */
public final class FaultProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final int CHUNK_BYTES = 16 * 1024;

    private static final int BELOW_EPHEMERAL_FROM = 12_000;

    private static final int BELOW_EPHEMERAL_TO = 32_000;

    private static final Traffic PASS_THROUGH = new Traffic(false, Duration.ZERO);

    private static final Traffic BLACK_HOLE = new Traffic(true, Duration.ZERO);

    private final InetSocketAddress upstream;

    private final int port;

    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private final AtomicInteger accepted = new AtomicInteger();

    private final AtomicLong toUpstream = new AtomicLong();

    private final AtomicLong toClients = new AtomicLong();

    private final AtomicLong dropped = new AtomicLong();

    private volatile Traffic traffic = PASS_THROUGH;

    private volatile boolean closed;

    // guarded by this; null while refusing
    private @Nullable ServerSocket listener;

    private volatile @Nullable Thread acceptor;

    private FaultProxy(InetSocketAddress upstream, ServerSocket listener) {
        this.upstream = upstream;
        this.listener = listener;
        this.port = listener.getLocalPort();
    }

    /** Listens on a free loopback port and forwards every connection to the upstream server, until closed. */
    public static FaultProxy start(String upstreamHost, int upstreamPort) {
        FaultProxy proxy = new FaultProxy(new InetSocketAddress(upstreamHost, upstreamPort), listenBelowEphemeral());
        proxy.acceptOn(proxy.listener);
        return proxy;
    }

    public int port() {
        return this.port;
    }

    /** The proxy's address for Paho, {@code tcp://127.0.0.1:<port>}. */
    public String uri() {
        return "tcp://" + LOOPBACK.getHostAddress() + ":" + this.port;
    }

    /** Keeps every connection open and silently drops every byte both ways, on open and on new connections. */
    public synchronized void blackHole() {
        this.traffic = BLACK_HOLE;
    }

    /** Holds each chunk this long before forwarding it (both ways); ends a black hole. */
    public synchronized void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("Negative delay " + delay);
        }
        leaveBlackHole(new Traffic(false, delay));
    }

    /** Resets every open connection now (RST to both sides); later connections are proxied as before. */
    public void dropConnections() {
        this.links.forEach(link -> link.close(true));
    }

    /** Closes the listening socket: new connections are refused until {@link #heal()}; open ones carry on. */
    public synchronized void refuse() {
        closeQuietly(this.listener);
        this.listener = null;
        // a socket closed under a blocked accept is released only once the accepting thread has left accept()
        Thread waiting = this.acceptor;
        if (waiting != null) {
            try {
                waiting.join(Duration.ofSeconds(5));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends every fault: pass-through without delay, accepting again on the same port. */
    public synchronized void heal() {
        leaveBlackHole(PASS_THROUGH);
        if (this.listener == null && !this.closed) {
            this.listener = listen(this.port);
            acceptOn(this.listener);
        }
    }

    /** Bytes written on to the upstream server. */
    public long bytesToUpstream() {
        return this.toUpstream.get();
    }

    /** Bytes written on to the clients. */
    public long bytesToClients() {
        return this.toClients.get();
    }

    /** Bytes swallowed by a black hole, both ways. */
    public long bytesDropped() {
        return this.dropped.get();
    }

    /** TCP connections accepted since the start, whether or not the upstream server took them. */
    public int connectionsAccepted() {
        return this.accepted.get();
    }

    /** Connections proxied now, each a client socket with its upstream socket. */
    public int openConnections() {
        return this.links.size();
    }

    /** Stops listening, resets every connection and waits (boundedly) for the proxy's threads to end. */
    @Override
    public void close() {
        synchronized (this) {
            this.closed = true;
            refuse();
        }
        dropConnections();
        this.threads.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (Thread thread : this.threads) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + uri() + " -> " + this.upstream + ", " + this.traffic + "]";
    }

    // leaving a black hole delivers the ends it held back: a side that closed meanwhile is closed now
    private void leaveBlackHole(Traffic next) {
        this.traffic = next;
        this.links.stream().filter(link -> link.endHeldBack).forEach(link -> link.close(link.endWasReset));
    }

    /**
     * A port below the kernel's ephemeral range (Linux hands out 32768 and up for port 0): {@link #refuse()} lets go
     * of it until {@link #heal()}, and a port from that range could meanwhile be given to any other test that asks
     * for a free one, which would then answer in the proxy's place (seen when the keep-alive test started its
     * gateway beside this one).
     */
    private static ServerSocket listenBelowEphemeral() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(BELOW_EPHEMERAL_FROM, BELOW_EPHEMERAL_TO);
            try {
                return listen(port);
            }
            catch (UncheckedIOException taken) {
                // in use: another
            }
        }
        throw new IllegalStateException("No free loopback port in " + BELOW_EPHEMERAL_FROM + ".." + BELOW_EPHEMERAL_TO);
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            // the accepted connections still hold the port when heal() binds it again after refuse()
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 50);
            return socket;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot listen on " + LOOPBACK.getHostAddress() + ":" + port, ex);
        }
    }

    private void acceptOn(ServerSocket server) {
        this.acceptor = fork("fault-proxy-accept-" + this.port, () -> {
            while (true) {
                Socket client;
                try {
                    client = server.accept();
                }
                catch (IOException ex) {
                    // refuse() or close() closed the listener
                    return;
                }
                this.accepted.incrementAndGet();
                fork("fault-proxy-connect-" + client.getPort(), () -> connectUpstream(client));
            }
        });
    }

    // as Toxiproxy does, also in a black hole: the client's TCP connect succeeds and the bytes are dropped later
    private void connectUpstream(Socket client) {
        Socket server = new Socket();
        try {
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            server.connect(this.upstream, CONNECT_TIMEOUT_MILLIS);
        }
        catch (IOException ex) {
            reset(client);
            closeQuietly(server);
            return;
        }
        Link link = new Link(client, server);
        this.links.add(link);
        if (this.closed) {
            link.close(true);
            return;
        }
        fork("fault-proxy-up-" + client.getPort(), () -> link.pump(client, server, this.toUpstream));
        fork("fault-proxy-down-" + client.getPort(), () -> link.pump(server, client, this.toClients));
    }

    private Thread fork(String name, Runnable task) {
        return Thread.ofVirtual().name(name).start(() -> {
            this.threads.add(Thread.currentThread());
            try {
                if (!this.closed) {
                    task.run();
                }
            }
            finally {
                this.threads.remove(Thread.currentThread());
            }
        });
    }

    /** Whether a chunk read now goes on; waits out the delay first, and counts what a black hole swallows. */
    private boolean forwards(int bytes) throws IOException {
        Traffic now = this.traffic;
        if (!now.delay().isZero()) {
            try {
                // the fault itself, not a test waiting: the chunk is late by this much
                TimeUnit.NANOSECONDS.sleep(now.delay().toNanos());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("Proxy closed", ex);
            }
            now = this.traffic;
        }
        if (now.blackHole()) {
            this.dropped.addAndGet(bytes);
            return false;
        }
        return true;
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        }
        catch (IOException ex) {
            // closed already
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(@Nullable AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (Exception ex) {
            // nothing left to do with a socket that will not close
        }
    }

    private record Traffic(boolean blackHole, Duration delay) {
    }

    /** One proxied connection: the client's socket and the socket to the upstream server. */
    private final class Link {

        private final Socket client;

        private final Socket server;

        private final AtomicBoolean closed = new AtomicBoolean();

        // a side ended inside a black hole; its peer learns of it when the black hole ends
        private volatile boolean endHeldBack;

        private volatile boolean endWasReset;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, AtomicLong forwarded) {
            byte[] chunk = new byte[CHUNK_BYTES];
            boolean reset = false;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                    if (forwards(read)) {
                        // counted first: the peer may have the bytes (and the test its answer) before write returns
                        forwarded.addAndGet(read);
                        out.write(chunk, 0, read);
                    }
                }
            }
            catch (IOException ex) {
                reset = true;
            }
            ended(reset);
        }

        private void ended(boolean reset) {
            this.endWasReset = reset;
            this.endHeldBack = true;
            // read after the write above, as leaveBlackHole writes the mode before it reads endHeldBack
            if (!FaultProxy.this.traffic.blackHole()) {
                close(reset);
            }
        }

        void close(boolean reset) {
            if (!this.closed.compareAndSet(false, true)) {
                return;
            }
            if (reset) {
                reset(this.client);
                reset(this.server);
            }
            else {
                closeQuietly(this.client);
                closeQuietly(this.server);
            }
            FaultProxy.this.links.remove(this);
        }
    }
}
