package io.iotgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A network namespace joined to this host by a veth pair, with a mosquitto inside it, for faults a loopback proxy
 * cannot make: the kernel's own TCP behind a partition or a lossy link. The pair is a /30 of 10.213.0.0/16 of its
 * own, say host side 10.213.0.1 and namespace side 10.213.0.2; nothing is routed beyond it. Faults act on the
 * namespace's end of the pair:
 * <ul>
 * <li>{@link #blackHole()}: nftables drops every packet both ways; sockets on both sides stay open.</li>
 * <li>{@link #loss(int)}: nftables drops that percentage of packets, each way.</li>
 * <li>{@link #delay(Duration)}: {@code tc qdisc netem} delays every packet leaving the namespace; where the kernel
 * has no netem ({@link #supportsDelay()}) it throws.</li>
 * <li>{@link #heal()}: removes every fault.</li>
 * </ul>
 * Needs root, {@code ip} (iproute2) and {@code nft} (nftables); guard tests with {@link EnabledIfNetworkNamespaces}.
 * {@link #close()} (and, should the JVM exit first, a shutdown hook) kills the broker and deletes the namespace,
 * which takes the pair with it; a JVM killed with SIGKILL leaves {@code iotgw-<pid>-<n>} for {@code ip netns del}.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final String NAME_PREFIX = "iotgw-";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicInteger sequence = new AtomicInteger();

    private final String name;

    private final String hostSide;

    private final String namespaceSide;

    private final String hostAddress;

    private final String namespaceAddress;

    private final Thread cleanUpOnExit = new Thread(this::cleanUp, "network-namespace-clean-up");

    private volatile @Nullable MosquittoBroker broker;

    private NetworkNamespace(String id, String subnetPrefix, int base) {
        this.name = NAME_PREFIX + id;
        // interface names have at most 15 characters: "ih" + pid (at most 7 digits) + "x" + sequence
        this.hostSide = "ih" + id.replace('-', 'x');
        this.namespaceSide = "in" + id.replace('-', 'x');
        this.hostAddress = subnetPrefix + (base + 1);
        this.namespaceAddress = subnetPrefix + (base + 2);
    }

    /** Creates the namespace and its veth pair, up and addressed; on any failure removes what it made. */
    public static NetworkNamespace create() {
        int block = freeBlock();
        String id = ProcessHandle.current().pid() + "-" + sequence.incrementAndGet();
        NetworkNamespace namespace = new NetworkNamespace(id, "10.213." + (block * 4 / 256) + ".", block * 4 % 256);
        Runtime.getRuntime().addShutdownHook(namespace.cleanUpOnExit);
        try {
            namespace.setUp();
            return namespace;
        }
        catch (RuntimeException ex) {
            namespace.close();
            throw ex;
        }
    }

    public String name() {
        return this.name;
    }

    /** This host's end of the pair, e.g. {@code 10.213.0.1}. */
    public String hostAddress() {
        return this.hostAddress;
    }

    /** The namespace's end of the pair, where its broker listens, e.g. {@code 10.213.0.2}. */
    public String namespaceAddress() {
        return this.namespaceAddress;
    }

    /** Starts a mosquitto inside the namespace on its address; {@link #close()} stops it. One per namespace. */
    public MosquittoBroker startMosquitto(MosquittoConfig config) {
        if (this.broker != null) {
            throw new IllegalStateException("The namespace " + this.name + " runs a broker already");
        }
        MosquittoBroker started = MosquittoBroker.start(config, List.of(ip(), "netns", "exec", this.name),
                this.namespaceAddress);
        this.broker = started;
        return started;
    }

    /** Drops every packet to and from the namespace; connections stay open on both sides. Replaces {@link #loss}. */
    public void blackHole() {
        replaceFilter("drop");
    }

    /** Drops about this percentage of packets each way, at random. Replaces {@link #blackHole}. */
    public void loss(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("Loss must be 0 to 100 %: " + percent);
        }
        replaceFilter("numgen random mod 100 < " + percent + " drop");
    }

    /**
     * Delays every packet that leaves the namespace (the broker's answers) with {@code tc qdisc netem}.
     * @throws IllegalStateException where the kernel has no netem ({@link #supportsDelay()})
     */
    public void delay(Duration delay) {
        inNamespace(List.of(tc(), "qdisc", "replace", "dev", this.namespaceSide, "root", "netem", "delay",
                delay.toMillis() + "ms"));
    }

    /** Whether {@link #delay(Duration)} works here: the kernel has the netem queueing discipline. */
    public boolean supportsDelay() {
        try {
            delay(Duration.ZERO);
            removeDelay();
            return true;
        }
        catch (IllegalStateException ex) {
            return false;
        }
    }

    /** Removes every fault: the filter's rules and any delay. */
    public void heal() {
        inNamespace(List.of(nft(), "flush", "table", "inet", "fault"));
        removeDelay();
    }

    /** Stops the broker and deletes the namespace with its pair. Safe to call more than once. */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(this.cleanUpOnExit);
        }
        catch (IllegalStateException ex) {
            // already shutting down: the hook cleans up anyway
        }
    }

    @Override
    public String toString() {
        return "NetworkNamespace[" + this.name + ", " + this.hostAddress + " <-> " + this.namespaceAddress + "]";
    }

    private void setUp() {
        run(List.of(ip(), "netns", "add", this.name));
        run(List.of(ip(), "link", "add", this.hostSide, "type", "veth", "peer", "name", this.namespaceSide, "netns",
                this.name));
        run(List.of(ip(), "addr", "add", this.hostAddress + "/30", "dev", this.hostSide));
        run(List.of(ip(), "link", "set", this.hostSide, "up"));
        inNamespace(List.of(ip(), "addr", "add", this.namespaceAddress + "/30", "dev", this.namespaceSide));
        inNamespace(List.of(ip(), "link", "set", this.namespaceSide, "up"));
        inNamespace(List.of(ip(), "link", "set", "lo", "up"));
        // one table with a chain per direction; the faults replace the rules in both
        inNamespace(List.of(nft(), "add", "table", "inet", "fault"));
        inNamespace(List.of(nft(), "add", "chain", "inet", "fault", "input",
                "{ type filter hook input priority 0 ; policy accept ; }"));
        inNamespace(List.of(nft(), "add", "chain", "inet", "fault", "output",
                "{ type filter hook output priority 0 ; policy accept ; }"));
    }

    private void replaceFilter(String verdict) {
        inNamespace(List.of(nft(), "flush", "table", "inet", "fault"));
        inNamespace(List.of(nft(), "add", "rule", "inet", "fault", "input", "iifname", this.namespaceSide, verdict));
        inNamespace(List.of(nft(), "add", "rule", "inet", "fault", "output", "oifname", this.namespaceSide, verdict));
    }

    private void removeDelay() {
        // fails when there is no qdisc to delete, which is the state wanted
        runQuietly(List.of(ip(), "netns", "exec", this.name, tc(), "qdisc", "del", "dev", this.namespaceSide, "root"));
    }

    private void cleanUp() {
        MosquittoBroker current = this.broker;
        if (current != null) {
            current.close();
        }
        // deleting the namespace deletes its end of the pair, and with it the host's end
        runQuietly(List.of(ip(), "netns", "del", this.name));
        runQuietly(List.of(ip(), "link", "del", this.hostSide));
    }

    private void inNamespace(List<String> command) {
        List<String> full = new ArrayList<>(List.of(ip(), "netns", "exec", this.name));
        full.addAll(command);
        run(full);
    }

    /** A /30 block of 10.213.0.0/16 no interface of this host uses yet; another JVM may race for it, rarely. */
    private static int freeBlock() {
        String addresses = run(List.of(ip(), "-o", "-4", "addr", "show"));
        for (int attempt = 0; attempt < 100; attempt++) {
            int block = ThreadLocalRandom.current().nextInt(16384);
            String prefix = "10.213." + (block * 4 / 256) + "." + (block * 4 % 256 + 1) + "/";
            if (!addresses.contains(" " + prefix)) {
                return block;
            }
        }
        throw new IllegalStateException("No free /30 in 10.213.0.0/16 after 100 tries");
    }

    /** Runs a command to its end (at most 10 s) and returns its output; throws with the output if it fails. */
    static String run(List<String> command) {
        Path output = null;
        try {
            // a file, not a pipe: a long output cannot block the command while this thread waits for its end
            output = Files.createTempFile("network-namespace-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed with " + process.exitValue() + ": " + text.strip());
            }
            return text;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run " + command, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + command, ex);
        }
        finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    private static void runQuietly(List<String> command) {
        try {
            run(command);
        }
        catch (RuntimeException ex) {
            // cleaning up what may not exist
        }
    }

    static String ip() {
        return executable("ip");
    }

    static String nft() {
        return executable("nft");
    }

    private static String tc() {
        return executable("tc");
    }

    private static String executable(String name) {
        return MosquittoConfig.findExecutable(name).map(Object::toString).orElse(name);
    }
}
