package io.iotgateway.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The benchmark of issue 6, one run: starts a local mosquitto, measures the baselines (a) direct Paho, (b) a
 * trivial Spring MVC endpoint and (c) {@code mosquitto_pub} per message, then the gateway with N devices
 * (cold path, throughput, latency at a fixed rate) and with M devices (all connected at once), with
 * {@code --replicas} the gateway as a cluster of several replicas (issue 15), and writes a Markdown report. Every
 * process it starts it stops again, also when it is interrupted. Started by bench/run.sh, which builds everything
 * and passes the gateway jar; see docs/performance.md.
 */
public final class Bench {

    static final String PRODUCT_KEY = "a1BenchProd";

    private final Options options;

    private final Processes processes;

    private final Findings findings = new Findings();

    private final Probe probe;

    private final IdleWait idle;

    private GatewayMetadata metadata;

    private Bench(Options options) {
        this.options = options;
        this.processes = new Processes(options.work.resolve("pids"));
        this.probe = new Probe(options.jdkTool("jcmd"), this.findings);
        this.idle = new IdleWait(options.waitIdle, this.processes, this.findings);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        GcPauses.listen();
        Files.createDirectories(options.work);
        Files.createDirectories(options.tmp);
        setReadable(options.tmp);
        Bench bench = new Bench(options);
        Runtime.getRuntime().addShutdownHook(new Thread(bench.processes::stopAll, "bench-cleanup"));
        int status = 0;
        try {
            bench.run();
        }
        catch (Exception ex) {
            status = 1;
            System.err.println("bench: failed: " + ex);
            ex.printStackTrace();
            bench.findings.note("The run stopped early: " + ex.getMessage());
        }
        finally {
            bench.processes.stopAll();
        }
        Findings found = bench.findings;
        String report = new Report(options, found, bench.metadata).markdown();
        Files.createDirectories(options.out.getParent());
        Files.writeString(options.out, report);
        System.out.println();
        System.out.println(report);
        System.out.println("bench: report written to " + options.out + "; logs in " + options.work);
        deleteTree(options.tmp);
        System.exit(status);
    }

    private void run() throws Exception {
        Options o = this.options;
        this.metadata = GatewayMetadata.read(o.gatewayJar);
        Setup.describe(o, this.findings.facts, this.idle);
        Devices devices = Devices.generate(PRODUCT_KEY, Math.max(o.devices, o.bigDevices), 6);
        Payload payload = Payload.write(o.payload, o.tmp.resolve("payload.bin"));
        Broker broker = Broker.start(o, this.processes, this.findings.facts);
        Rig rig = new Rig(o, this.processes, this.probe, this.idle, this.findings, this.metadata, broker, devices,
                payload);
        Baselines baselines = new Baselines(rig);
        phase("a", "(a) direct Paho", baselines::directPaho);
        phase("b", "(b) HTTP ceiling", baselines::httpCeiling);
        phase("c", "(c) mosquitto_pub", baselines::mosquittoPub);
        phase("gateway", "gateway, " + o.devices + " devices", new GatewayScenarios(rig)::run);
        phase("paired", "paired rounds, gateway and (b)", new PairedRounds(rig)::run);
        // parts that are off unless asked for: without them, no wait for an idle machine either
        if (!o.ablate.isEmpty()) {
            phase("ablation", "ablation rounds, " + o.ablate, new Ablation(rig)::run);
        }
        phase("big", "gateway, " + o.bigDevices + " devices", new ScaleScenarios(rig)::run);
        if (!o.replicas.isEmpty()) {
            phase("cluster", "replicas " + o.replicas + ", " + o.devices + " devices", new ClusterScenarios(rig)::run);
        }
    }

    private interface Part {
        void run() throws Exception;
    }

    /** Runs one part of the benchmark; a failure is reported and the next part runs all the same. */
    private void phase(String key, String name, Part part) {
        if (this.options.skip.contains(key)) {
            return;
        }
        try {
            this.idle.before(name);
            part.run();
        }
        catch (Exception ex) {
            log("%s failed: %s", name, ex.getMessage());
            this.findings.note(name + " failed: " + ex.getMessage());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            return "";
        }
    }

    static void setReadable(Path path) throws IOException {
        Files.setPosixFilePermissions(path,
                PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", LocalDateTime.now().toLocalTime().withNano(0),
                String.format(format, args));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            log("could not delete %s: %s", root, ex);
        }
    }
}
