package io.iotgateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The benchmark of issue 6, one run: starts a local mosquitto, measures the baselines (a) direct Paho, (b) a
 * trivial Spring MVC endpoint and (c) {@code mosquitto_pub} per message, then the gateway with N devices
 * (cold path, throughput, latency at a fixed rate) and with M devices (all connected at once), and writes a
 * Markdown report. Every process it starts it stops again, also when it is interrupted. Started by bench/run.sh,
 * which builds everything and passes the gateway jar; see docs/performance.md.
 */
public final class Bench {

    static final String PRODUCT_KEY = "a1BenchProd";

    // unmeasured seconds before each paired round: connections re-established, queues filled
    private static final Duration PAIRED_SETTLE = Duration.ofSeconds(3);

    private final Options options;

    private final Processes processes;

    private final Map<String, Result> results = new LinkedHashMap<>();

    private final Map<String, String> facts = new LinkedHashMap<>();

    private final List<String> notes = new ArrayList<>();

    private final Probe probe;

    private GatewayMetadata metadata;

    private Devices devices;

    private byte[] payload;

    private Path payloadFile;

    private Broker broker;

    private Bench(Options options) {
        this.options = options;
        this.processes = new Processes(options.work.resolve("pids"));
        this.probe = new Probe(options.jdkTool("jcmd"), this.notes);
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
            bench.notes.add("The run stopped early: " + ex.getMessage());
        }
        finally {
            bench.processes.stopAll();
        }
        String report = new Report(options, bench.facts, bench.results, bench.notes, bench.metadata).markdown();
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
        describeEnvironment();
        this.devices = Devices.generate(PRODUCT_KEY, Math.max(o.devices, o.bigDevices), 6);
        this.payload = payload(o.payload);
        this.payloadFile = o.tmp.resolve("payload.bin");
        Files.write(this.payloadFile, this.payload);
        setReadable(this.payloadFile);

        this.broker = Broker.start(o, this.processes, this.facts);
        phase("a", "(a) direct Paho", this::mqttCeiling);
        phase("b", "(b) HTTP ceiling", this::httpCeiling);
        phase("c", "(c) mosquitto_pub", this::mosquittoPub);
        phase("gateway", "gateway, " + o.devices + " devices", this::gateway);
        phase("paired", "paired rounds, gateway and (b)", this::paired);
        phase("big", "gateway, " + o.bigDevices + " devices", this::gatewayAtScale);
    }

    private interface Phase {
        void run() throws Exception;
    }

    /** Runs one part of the benchmark; a failure is reported and the next part runs all the same. */
    private void phase(String key, String name, Phase phase) {
        if (this.options.skip.contains(key)) {
            return;
        }
        try {
            waitIdle(name);
            phase.run();
        }
        catch (Exception ex) {
            log("%s failed: %s", name, ex.getMessage());
            this.notes.add(name + " failed: " + ex.getMessage());
        }
    }

    // ---------------------------------------------------------------- baselines

    private void mqttCeiling() {
        Options o = this.options;
        Devices main = this.devices.first(o.devices);
        log("(a) direct Paho: %d clients on the load generator, QoS %d", o.devices, o.qos);
        Meter meter = new Meter(0, this.broker.pid());
        MqttTarget target = new MqttTarget(this.broker.uri(), main, o.qos, this.payload);
        try {
            add(target.connectAll(result("a.connect", "(a) Paho direct", "connect all devices"),
                    Math.min(o.connectConcurrency, 100), meter));
            waitIdle("(a) max throughput");
            add(Load.closed(result("a.max", "(a) Paho direct", "max throughput"), target, o.devices, o.concurrency,
                    o.warmup, o.duration, meter));
            add(Load.open(result("a.rate", "(a) Paho direct", "fixed rate"), target, o.devices, o.rate,
                    o.rateWarmup, o.duration, o.maxInflight, meter));
        }
        finally {
            target.close();
        }
        // new clients for the same devices (the long-lived ones are closed, so nothing is taken over)
        MqttTarget cold = new MqttTarget(this.broker.uri(), main, o.qos, this.payload);
        try {
            Result connectOnly = result("a.connect1", "(a) Paho direct", "connect only");
            add(cold.coldSample(result("a.cold", "(a) Paho direct", "connect + first publish"), connectOnly,
                    sample(o.devices, o.coldSamples), meter));
            add(connectOnly);
        }
        finally {
            cold.close();
        }
    }

    private void httpCeiling() throws Exception {
        Options o = this.options;
        Ceiling ceiling = startCeiling();
        Child app = ceiling.child();
        try {
            Meter meter = new Meter(app.pid(), this.broker.pid());
            try (HttpTarget target = new HttpTarget(ceiling.baseUrl(), PRODUCT_KEY,
                    this.devices.first(o.devices).names(), o.qos, this.payload, o.httpClients)) {
                waitIdle("(b) max throughput");
                add(Load.closed(result("b.max", "(b) HTTP ceiling", "max throughput"), target, o.devices,
                        o.concurrency, o.warmup, o.duration, meter), app);
                add(Load.open(result("b.rate", "(b) HTTP ceiling", "fixed rate"), target, o.devices, o.rate,
                        o.rateWarmup, o.duration, o.maxInflight, meter), app);
            }
        }
        finally {
            this.processes.stop(app, Duration.ofSeconds(20));
        }
    }

    private record Ceiling(Child child, String baseUrl) {
    }

    private Ceiling startCeiling() throws Exception {
        Options o = this.options;
        int port = freePort();
        Path log = o.work.resolve("http-ceiling.log");
        List<String> command = new ArrayList<>();
        command.add(o.java);
        command.addAll(o.serverJvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.iotgateway.bench.httpceiling.HttpCeilingApp", "--server.port=" + port,
                "--server.address=127.0.0.1", "--spring.threads.virtual.enabled=true",
                "--spring.main.banner-mode=off", "--bench.tmp=" + o.tmp));
        log("(b) HTTP ceiling: trivial Spring MVC endpoint on port %d", port);
        Child app = this.processes.start("http-ceiling", command, log, o.tmp);
        String baseUrl = "http://127.0.0.1:" + port;
        double startup = this.probe.awaitReady(app, baseUrl + "/ready", Duration.ofSeconds(90));
        this.facts.putIfAbsent("HTTP ceiling start-up", String.format("%.1f s", startup));
        return new Ceiling(app, baseUrl);
    }

    /**
     * The gateway and the HTTP ceiling (b) up at the same time, measured in turns: the machine's speed drifts by tens
     * of percent over minutes (other tenants of the host), so two servers measured minutes apart may be compared at
     * different speeds. Each round measures (b), then the gateway, over the same window; the report gives each
     * round's ratio and their median.
     */
    private void paired() throws Exception {
        Options o = this.options;
        if (o.pairedRounds <= 0) {
            return;
        }
        Devices main = this.devices.first(o.devices);
        Ceiling ceiling = startCeiling();
        GatewayProcess gateway = null;
        try {
            gateway = startGateway("gateway-paired", main, List.of());
            Meter gatewayMeter = new Meter(gateway.child().pid(), this.broker.pid());
            Result warmUp = awaitWarmUp(gateway, o.devices, gatewayMeter);
            int connected = Integer.parseInt(warmUp.facts.get("connected after"));
            if (connected < o.devices) {
                throw new IllegalStateException("only " + connected + " of " + o.devices + " devices connected");
            }
            Meter ceilingMeter = new Meter(ceiling.child().pid(), this.broker.pid());
            try (HttpTarget toCeiling = new HttpTarget(ceiling.baseUrl(), PRODUCT_KEY, main.names(), o.qos,
                    this.payload, o.httpClients);
                    HttpTarget toGateway = new HttpTarget(gateway.baseUrl(), PRODUCT_KEY, main.names(), o.qos,
                            this.payload, o.httpClients)) {
                waitIdle("paired warm-up");
                log("paired: warming both servers up (%d s each)", o.warmup.toSeconds());
                Load.closed(result("pair.b.warm", "(b) HTTP ceiling", "paired warm-up"), toCeiling, o.devices,
                        o.concurrency, o.warmup, Duration.ofSeconds(1), ceilingMeter);
                Load.closed(result("pair.gw.warm", "gateway", "paired warm-up"), toGateway, o.devices,
                        o.concurrency, o.warmup, Duration.ofSeconds(1), gatewayMeter);
                for (int round = 1; round <= o.pairedRounds; round++) {
                    add(Load.closed(result("pair.b." + round, "(b) HTTP ceiling", "paired round " + round),
                            toCeiling, o.devices, o.concurrency, PAIRED_SETTLE, o.duration, ceilingMeter),
                            ceiling.child());
                    add(Load.closed(result("pair.gw." + round, "gateway", "paired round " + round), toGateway,
                            o.devices, o.concurrency, PAIRED_SETTLE, o.duration, gatewayMeter), gateway.child());
                }
            }
        }
        finally {
            this.processes.stop(ceiling.child(), Duration.ofSeconds(20));
            if (gateway != null) {
                this.processes.stop(gateway.child(), GatewayProcess.SHUTDOWN_GRACE);
            }
        }
    }

    private void mosquittoPub() {
        Options o = this.options;
        log("(c) mosquitto_pub: %d messages, one process each, %d at a time", o.pubMessages, o.pubConcurrency);
        PubTarget target = new PubTarget(o.mosquittoPub, this.broker.port(), this.devices.first(o.devices), o.qos,
                this.payloadFile);
        int[] sequence = IntStream.range(0, o.pubMessages).map(i -> i % o.devices).toArray();
        Result result = Load.each(result("c.pub", "(c) mosquitto_pub", "one process per message"), target,
                sequence, o.pubConcurrency, Duration.ofMinutes(2), new Meter(0, this.broker.pid()));
        result.facts.put("mode", o.pubMessages + " messages, " + o.pubConcurrency + " processes at a time");
        add(result);
    }

    // ---------------------------------------------------------------- the gateway

    /** N devices: cold path, warm path, then everything connected: max throughput and latency at a fixed rate. */
    private void gateway() throws Exception {
        Options o = this.options;
        Devices main = this.devices.first(o.devices);
        Optional<String> warmUp = this.metadata.warmUpSwitch();
        List<String> extra = new ArrayList<>();
        warmUp.ifPresent(name -> extra.add("--" + name + "=false"));
        Path recording = o.work.resolve("gateway-" + o.devices + "-max-throughput.jfr");
        GatewayProcess gateway = startGateway("gateway-" + o.devices, main, extra);
        try {
            this.facts.put("Gateway (" + o.devices + " devices) start-up", String.format("%.1f s", gateway.startup()));
            Meter meter = new Meter(gateway.child().pid(), this.broker.pid());
            ProcStat idle = ProcStat.read(gateway.child().pid());
            try (HttpTarget target = new HttpTarget(gateway.baseUrl(), PRODUCT_KEY, main.names(), o.qos,
                    this.payload, o.httpClients)) {
                int[] sample = sample(o.devices, o.coldSamples);
                Result cold = Load.sequential(result("gw.cold", "gateway", "first message (cold)"), target, sample,
                        meter);
                cold.facts.put("warm-up", warmUp.map(name -> name + "=false").orElse("none in this build"));
                add(cold, gateway.child());
                add(Load.sequential(result("gw.warm", "gateway", "second message (warm)"), target, sample, meter), gateway.child());
                Set<Integer> sampled = new HashSet<>();
                Arrays.stream(sample).forEach(sampled::add);
                int[] rest = IntStream.range(0, o.devices).filter(i -> !sampled.contains(i)).toArray();
                Result connect = Load.each(result("gw.connect", "gateway", "connect all (first message each)"),
                        target, rest, o.connectConcurrency, o.connectTimeout, meter);
                connect.serverBefore = idle;
                connect.facts.put("connected after", Integer.toString(gateway.connected()));
                add(connect, gateway.child());
                waitIdle("gateway max throughput");
                if (o.profile) {
                    // the recording covers the warm-up and the measured window of the max-throughput run only
                    jcmd(gateway, "JFR.start", "name=bench", "settings=profile", "filename=" + recording);
                }
                add(Load.closed(result("gw.max", "gateway", "max throughput"), target, o.devices, o.concurrency,
                        o.warmup, o.duration, meter), gateway.child());
                if (o.profile) {
                    jcmd(gateway, "JFR.stop", "name=bench");
                }
                waitIdle("gateway fixed rate");
                add(Load.open(result("gw.rate", "gateway", "fixed rate"), target, o.devices, o.rate, o.rateWarmup,
                        o.duration, o.maxInflight, meter), gateway.child());
            }
            gateway.scrape(o.work.resolve("gateway-" + o.devices + ".prometheus.txt"));
        }
        finally {
            this.facts.put("Gateway (" + o.devices + " devices) shutdown", gateway.stop(this.processes));
        }
        if (o.profile) {
            profile(recording);
        }
    }

    /** Where the gateway's CPU went in its max-throughput run (JFR execution samples), for the report. */
    private void profile(Path recording) {
        Path jfr = this.options.jdkTool("jfr");
        try {
            String samples = Processes.output(List.of(jfr.toString(), "print", "--events", "jdk.ExecutionSample", "--stack-depth",
                    "200", recording.toString()), Duration.ofSeconds(120));
            Profile profile = Profile.of(samples);
            this.facts.put("profile", profile.samples + " samples\n\n" + profile.markdown(20));
            for (String view : List.of("hot-methods", "allocation-by-class", "gc")) {
                Files.writeString(this.options.work.resolve(recording.getFileName() + "." + view + ".txt"),
                        Processes.output(List.of(jfr.toString(), "view", "--width", "180", view, recording.toString()),
                                Duration.ofSeconds(120)));
            }
        }
        catch (IOException ex) {
            this.notes.add("jfr failed: " + ex.getMessage());
        }
    }

    /** M devices connected at once: time to connect them all, memory and threads, throughput across them. */
    private void gatewayAtScale() throws Exception {
        Options o = this.options;
        Devices big = this.devices.first(o.bigDevices);
        List<String> extra = new ArrayList<>();
        Optional<String> limit = this.metadata.maxConnections();
        if (limit.isPresent()) {
            String value = this.metadata.defaults.get(limit.get());
            if (value.matches("\\d+") && Long.parseLong(value) < o.bigDevices) {
                extra.add("--" + limit.get() + "=" + o.bigDevices);
                this.notes.add("The " + o.bigDevices + "-device gateway ran with --" + limit.get() + "="
                        + o.bigDevices + " (default " + value + ").");
            }
        }
        Optional<String> warmUp = this.metadata.warmUpSwitch();
        boolean warming = warmUp.isPresent() && !"false".equals(this.metadata.defaults.get(warmUp.get()));
        GatewayProcess gateway = startGateway("gateway-" + o.bigDevices, big, extra);
        try {
            this.facts.put("Gateway (" + o.bigDevices + " devices) start-up",
                    String.format("%.1f s", gateway.startup()));
            long pid = gateway.child().pid();
            Meter meter = new Meter(pid, this.broker.pid());
            try (HttpTarget target = new HttpTarget(gateway.baseUrl(), PRODUCT_KEY, big.names(), o.qos,
                    this.payload, o.httpClients)) {
                Result connect;
                if (warming) {
                    connect = awaitWarmUp(gateway, o.bigDevices, meter);
                }
                else {
                    ProcStat idle = ProcStat.read(pid);
                    connect = Load.each(result("big.connect", "gateway", "connect all (first message each)"), target,
                            IntStream.range(0, o.bigDevices).toArray(), o.connectConcurrency, o.connectTimeout, meter);
                    connect.serverBefore = idle;
                    connect.facts.put("connected after", Integer.toString(gateway.connected()));
                }
                add(connect, gateway.child());
                Result first = Load.sequential(result("big.first", "gateway",
                        warming ? "first message after warm-up" : "message after connect-all"), target,
                        sample(o.bigDevices, o.coldSamples), meter);
                add(first, gateway.child());
                add(Load.closed(result("big.max", "gateway", "max throughput, all devices"), target, o.bigDevices,
                        o.concurrency, o.warmup, o.bigDuration, meter), gateway.child());
            }
            liveHeap(gateway, "big.heap");
            gateway.scrape(o.work.resolve("gateway-" + o.bigDevices + ".prometheus.txt"));
        }
        finally {
            this.facts.put("Gateway (" + o.bigDevices + " devices) shutdown", gateway.stop(this.processes));
        }
    }

    /** With warm-up the gateway connects its devices by itself: poll health until all are connected. */
    private Result awaitWarmUp(GatewayProcess gateway, int count, Meter meter) {
        Result result = result("big.connect", "gateway", "warm-up connects all");
        Meter.Snapshot before = meter.snapshot();
        long begin = System.nanoTime();
        long deadline = begin + this.options.connectTimeout.toNanos();
        int connected = 0;
        int last = -1;
        long lastProgress = begin;
        int step = Math.max(1, count / 10);
        int nextMilestone = step;
        List<String> progress = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            connected = gateway.connected();
            long now = System.nanoTime();
            if (connected != last) {
                last = connected;
                lastProgress = now;
            }
            while (connected >= nextMilestone && nextMilestone <= count) {
                progress.add(String.format(Locale.ROOT, "%d at %.0f s", nextMilestone, (now - begin) / 1e9));
                nextMilestone += step;
            }
            if (connected >= count || now - lastProgress > TimeUnit.SECONDS.toNanos(60)) {
                break;
            }
            // the health check walks every connection: once a second keeps its cost small
            Load.sleep(Duration.ofSeconds(1));
        }
        result.facts.put("progress (connected, after readiness)", String.join(", ", progress));
        result.seconds = (System.nanoTime() - begin) / 1e9;
        meter.finish(result, before);
        result.facts.put("mode", "eager warm-up, measured from readiness");
        result.facts.put("connected after", Integer.toString(connected));
        result.facts.put("from process start", String.format("%.1f s", gateway.startup() + result.seconds));
        result.addOk(Math.max(0, connected));
        gateway.loggedWarmUp().ifPresent(logged -> {
            result.facts.put("gateway log", logged.line());
            result.facts.put("warm-up seconds (gateway log)",
                    String.format(Locale.ROOT, "%.1f", logged.millis() / 1000.0));
        });
        return result;
    }

    private GatewayProcess startGateway(String name, Devices devices, List<String> extra) throws IOException {
        return GatewayProcess.start(this.options, this.broker, this.processes, this.probe, this.facts, name, devices,
                extra);
    }

    private void jcmd(GatewayProcess gateway, String... command) {
        try {
            gateway.jcmd(command);
        }
        catch (IOException ex) {
            this.notes.add("jcmd " + String.join(" ", command) + " failed: " + ex.getMessage());
        }
    }

    private void liveHeap(GatewayProcess gateway, String key) {
        try {
            GatewayProcess.LiveHeap live = gateway.liveHeap();
            live.heap().ifPresent(heap -> this.facts.put(key, String.format("%.0f MiB used of %.0f MiB committed "
                    + "after a full GC", heap.usedKb() / 1024.0, heap.committedKb() / 1024.0)));
            this.facts.put(key + ".rss", String.format("%.0f MiB", live.rssKb() / 1024.0));
        }
        catch (IOException ex) {
            this.notes.add("jcmd failed: " + ex.getMessage());
        }
    }

    /**
     * The machine may be shared (other builds and test runs): before each part and each main measurement, wait up
     * to {@code --wait-idle} seconds until other processes use less than 15 % of its CPUs, so that they do not
     * take the benchmark's cores. What it waited and found goes into the report.
     */
    private void waitIdle(String before) {
        if (this.options.waitIdle.isZero()) {
            return;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        long deadline = System.nanoTime() + this.options.waitIdle.toNanos();
        long begin = System.nanoTime();
        boolean said = false;
        while (true) {
            long machine = ProcStat.machineBusyMillis();
            long ours = this.processes.cpuMillis();
            Load.sleep(Duration.ofSeconds(2));
            long busy = (ProcStat.machineBusyMillis() - machine) - (this.processes.cpuMillis() - ours);
            double share = busy / (2000.0 * cpus);
            double waited = (System.nanoTime() - begin) / 1e9;
            if (share < 0.15 || System.nanoTime() > deadline) {
                if (waited > 3 || share >= 0.15) {
                    this.notes.add(String.format(Locale.ROOT, "Before %s: waited %.0f s for other processes to "
                            + "calm down; they then used %.0f %% of the %d CPUs%s.", before, waited, share * 100, cpus,
                            share >= 0.15 ? " (gave up waiting: the figures that follow are disturbed)" : ""));
                }
                return;
            }
            if (!said) {
                log("before %s: other processes use %.0f %% of the %d CPUs; waiting up to %d s for them to calm down",
                        before, share * 100, cpus, this.options.waitIdle.toSeconds());
                said = true;
            }
        }
    }

    // ---------------------------------------------------------------- facts about the run

    private void describeEnvironment() {
        Options o = this.options;
        this.facts.put("Date", LocalDateTime.now().withNano(0).toString());
        this.facts.put("Gateway build", o.commit);
        this.facts.put("Gateway jar", o.gatewayJar.toString());
        this.facts.put("CPU", Runtime.getRuntime().availableProcessors() + " x " + cpuModel());
        this.facts.put("Memory", memTotal());
        this.facts.put("Kernel", readQuietly(Path.of("/proc/sys/kernel/osrelease")).trim());
        this.facts.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        String version = "";
        try {
            version = Processes.output(List.of(o.mosquitto, "-h"), Duration.ofSeconds(5)).lines().findFirst().orElse("");
        }
        catch (IOException ex) {
            version = "unknown: " + ex.getMessage();
        }
        this.facts.put("Broker", version.trim());
        this.facts.put("Open files limit", readLimit());
        this.facts.put("Server JVM flags (gateway and HTTP ceiling)", String.join(" ", o.serverJvm));
        this.facts.put("Load generator JVM flags",
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        waitIdle("the scheduling-gap check");
        log("measuring the machine's scheduling gaps");
        this.facts.put("Scheduling gaps", SchedulingGaps.measure(o.quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5)));
    }

    private static String cpuModel() {
        return readQuietly(Path.of("/proc/cpuinfo")).lines()
            .filter(line -> line.startsWith("model name"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("unknown CPU");
    }

    private static String memTotal() {
        return readQuietly(Path.of("/proc/meminfo")).lines()
            .filter(line -> line.startsWith("MemTotal"))
            .map(line -> String.format("%.1f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0))
            .findFirst()
            .orElse("unknown");
    }

    private static String readLimit() {
        return readQuietly(Path.of("/proc/self/limits")).lines()
            .filter(line -> line.startsWith("Max open files"))
            .map(line -> line.replaceAll("\\s+", " ").replace("Max open files ", "").replace(" files", ""))
            .findFirst()
            .orElse("unknown");
    }

    // ---------------------------------------------------------------- helpers

    private Result result(String id, String system, String scenario) {
        Result result = new Result(id, system, scenario);
        result.facts.put("devices", id.startsWith("big") ? Integer.toString(this.options.bigDevices)
                : Integer.toString(this.options.devices));
        return result;
    }

    private void add(Result result) {
        this.results.put(result.id, result);
        log("%s", result.summary());
    }

    private void add(Result result, Child server) {
        add(result);
        server.checkAlive(result.system + ", " + result.scenario);
    }

    /** {@code count} device indexes spread evenly over {@code devices}. */
    static int[] sample(int devices, int count) {
        int n = Math.min(devices, count);
        return IntStream.range(0, n).map(i -> (int) ((long) i * devices / n)).toArray();
    }

    private static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(42);
        for (int i = 0; i < size; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        byte[] head = "{\"d\":\"".getBytes(StandardCharsets.US_ASCII);
        if (size >= head.length + 2) {
            System.arraycopy(head, 0, bytes, 0, head.length);
            bytes[size - 2] = '"';
            bytes[size - 1] = '}';
        }
        return bytes;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
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
