package io.iotgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code mosquitto} process for one test class: its own temp dir, a free loopback port, no anonymous
 * access, a password file and an ACL. Typical use:
 * <pre>{@code
 * broker = MosquittoBroker.withUser("mosheep&a61QmwQD5ZF", secret)
 *     .aclFor("mosheep&a61QmwQD5ZF", "write", "/a61QmwQD5ZF/mosheep/user/#")
 *     .start();
 * }</pre>
 * For one broker per test class, register a {@link MosquittoBrokerExtension}: it starts the broker on first use,
 * closes it after the class and skips the class where mosquitto is missing. A broker of a single test goes in
 * try-with-resources, its class guarded with {@link EnabledIfMosquittoInstalled}.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final MosquittoConfig config;

    private final Path dir;

    // the command that runs mosquitto's own, e.g. "ip netns exec NAME" to start it inside a network namespace
    private final List<String> launcher;

    // the address it listens on and is reached at
    private final String host;

    private final Thread killOnExit = new Thread(this::destroyProcess, "mosquitto-test-broker-kill");

    private int port;

    private @Nullable Process process;

    private MosquittoBroker(MosquittoConfig config, Path dir, List<String> launcher, String host) {
        this.config = config;
        this.dir = dir;
        this.launcher = List.copyOf(launcher);
        this.host = host;
    }

    /** Starts describing a broker with its first user; add more users and ACL lines, then {@code start()}. */
    public static Builder withUser(String username, String password) {
        return new Builder(MosquittoConfig.empty().withUser(username, password));
    }

    /** Starts a broker with the given rules; returns once its port accepts connections. */
    public static MosquittoBroker start(MosquittoConfig config) {
        return start(config, List.of(), LOOPBACK.getHostAddress());
    }

    /**
     * Starts a broker through a launcher that runs the {@code mosquitto} command line it is given, listening on
     * {@code host}; {@link NetworkNamespace} runs one inside its namespace this way.
     */
    static MosquittoBroker start(MosquittoConfig config, List<String> launcher, String host) {
        Path dir = createReadableTempDir();
        MosquittoBroker broker = new MosquittoBroker(config, dir, launcher, host);
        try {
            broker.writeFiles();
            broker.launchOnFreePort();
            Runtime.getRuntime().addShutdownHook(broker.killOnExit);
            return broker;
        }
        catch (RuntimeException ex) {
            broker.destroyProcess();
            MosquittoConfig.deleteRecursively(dir);
            throw ex;
        }
    }

    /** Whether {@code mosquitto} and {@code mosquitto_passwd} (both in Debian's {@code mosquitto}) are installed. */
    public static boolean isInstalled() {
        return mosquittoBinary().isPresent() && MosquittoConfig.isPasswdToolInstalled();
    }

    public int port() {
        return port;
    }

    /**
     * The broker's address for Paho: {@code tcp://127.0.0.1:<port>}, or {@code ssl://localhost:<port>} with TLS
     * (the name its test certificate is issued for).
     */
    public String uri() {
        return (config.tls() != null) ? "ssl://localhost:" + port : "tcp://" + host + ":" + port;
    }

    public MosquittoConfig config() {
        return config;
    }

    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /**
     * The broker's log across all its runs, with connection messages, for diagnostics and counting logins. Each
     * start adds one "Client &lt;unknown&gt; closed its connection" line from the readiness probe.
     */
    public String log() {
        try {
            Path log = logFile();
            return Files.exists(log) ? Files.readString(log) : "";
        }
        catch (IOException ex) {
            return "(log unreadable: " + ex + ")";
        }
    }

    /** Stops the broker gracefully (SIGTERM) and waits until it has exited. */
    public void stop() {
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroy();
        if (!waitForExit(current)) {
            current.destroyForcibly();
            waitForExit(current);
        }
    }

    /** Kills the broker (SIGKILL), as in a crash; afterwards its port refuses connections. */
    public void kill() {
        destroyProcess();
    }

    /** Stops the broker if running and starts it again on the same port with the same files. */
    public void restart() {
        stop();
        launch();
    }

    /** Kills the broker and deletes its files. Safe to call more than once. */
    @Override
    public void close() {
        destroyProcess();
        MosquittoConfig.deleteRecursively(dir);
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
        catch (IllegalStateException ex) {
            // already shutting down: the hook kills the process anyway
        }
    }

    @Override
    public String toString() {
        return "MosquittoBroker[" + uri() + ", " + dir + "]";
    }

    private void writeFiles() {
        // mosquitto started as root drops to the user "mosquitto", which must still read these files
        writeReadable(dir.resolve("passwd"), config.passwordFileText());
        writeReadable(dir.resolve("acl"), config.aclFileText());
        if (config.persistent()) {
            // the unprivileged broker writes its database here
            try {
                Path persist = Files.createDirectories(dir.resolve("persist"));
                Files.setPosixFilePermissions(persist, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private void launchOnFreePort() {
        for (int attempt = 1;; attempt++) {
            port = freePort();
            try {
                launch();
                return;
            }
            catch (IllegalStateException ex) {
                // another process may take the port between our probe and mosquitto's bind
                if (attempt == 3 || !log().contains("Address already in use")) {
                    throw ex;
                }
            }
        }
    }

    private void launch() {
        Path conf = dir.resolve("mosquitto.conf");
        writeReadable(conf, config.mosquittoConf(port, host, dir.resolve("passwd").toString(),
                dir.resolve("acl").toString()));
        Path binary = mosquittoBinary().orElseThrow(() -> new IllegalStateException("mosquitto is not installed"));
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(binary.toString(), "-c", conf.toString()));
        try {
            // the log goes to stderr (unbuffered), and this JVM, not the unprivileged broker, opens the file
            Process started = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
            process = started;
            awaitAccepting(started);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start " + binary, ex);
        }
    }

    private void awaitAccepting(Process started) {
        try {
            Awaitility.await("mosquitto accepting on port " + port)
                .atMost(STARTUP_TIMEOUT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(25))
                .until(() -> !started.isAlive() || accepts(host, port));
        }
        catch (ConditionTimeoutException ex) {
            destroyProcess();
            throw new IllegalStateException("mosquitto did not accept connections on port " + port + " within "
                    + STARTUP_TIMEOUT + ". Log:\n" + log(), ex);
        }
        if (!started.isAlive()) {
            waitForExit(started);
            throw new IllegalStateException(
                    "mosquitto exited with " + started.exitValue() + " on port " + port + ". Log:\n" + log());
        }
    }

    private void destroyProcess() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            waitForExit(current);
        }
    }

    private Path logFile() {
        return dir.resolve("mosquitto.log");
    }

    private static boolean waitForExit(Process process) {
        try {
            return process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Optional<Path> mosquittoBinary() {
        return MosquittoConfig.findExecutable("mosquitto");
    }

    private static Path createReadableTempDir() {
        try {
            Path dir = Files.createTempDirectory("mosquitto-test-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeReadable(Path file, String text) {
        try {
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Collects users and ACL lines for a {@link MosquittoBroker}. */
    public static final class Builder {

        private MosquittoConfig config;

        private Builder(MosquittoConfig config) {
            this.config = config;
        }

        public Builder withUser(String username, String password) {
            config = config.withUser(username, password);
            return this;
        }

        /** @param access {@code read}, {@code write}, {@code readwrite} or {@code deny} */
        public Builder aclFor(String username, String access, String topicPattern) {
            config = config.aclFor(username, access, topicPattern);
            return this;
        }

        /** The rules so far, e.g. to start a {@link MosquittoContainerSupport} with the same ones. */
        public MosquittoConfig config() {
            return config;
        }

        public MosquittoBroker start() {
            return MosquittoBroker.start(config);
        }

    }

}
