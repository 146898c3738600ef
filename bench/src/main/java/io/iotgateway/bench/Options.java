package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The command line of one run, with the defaults of a full run (bench/run.sh --help lists the options; run.sh
 * adds --gateway-jar, --commit, --command, --work and --tmp).
 */
final class Options {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    int devices = 1000;

    int bigDevices = 10_000;

    double rate = 2000;

    int qos = 1;

    int payload = 256;

    Duration duration = Duration.ofSeconds(10);

    Duration bigDuration = Duration.ofSeconds(8);

    // the gateway's JIT compiler keeps one of the two cores half busy for about 50 s under load (measured per
    // thread in /proc): a shorter warm-up measures the compiler, not the gateway
    Duration warmup = Duration.ofSeconds(60);

    Duration rateWarmup = Duration.ofSeconds(2);

    int concurrency = 64;

    int maxInflight = 256;

    int coldSamples = 30;

    int pubMessages = 200;

    int pubConcurrency = 2;

    int connectConcurrency = 200;

    int httpClients = 1;

    int pairedRounds = 3;

    /** Load generator of the paired and ablation rounds: wrk, java (HttpClient) or auto (wrk when installed). */
    String generator = "auto";

    int wrkThreads = 2;

    /** Stages the ablation rounds switch off one at a time (bench/ablation/); empty: no ablation rounds. */
    List<String> ablate = new ArrayList<>();

    /** The bench-only jar that switches the stages off, built by run.sh against the gateway jar. */
    Path ablationJar;

    /** Records the full gateway of the paired rounds with async-profiler in one more wrk round. */
    boolean asyncProfile;

    /**
     * Cluster sizes of the replicas scenario (issue 15), ascending: one cluster grows through them; empty: no
     * replicas scenario.
     */
    List<Integer> replicas = new ArrayList<>();

    /** The PostgreSQL server (trust auth, user postgres) where the replicas scenario creates its shared registry. */
    String postgres = "127.0.0.1:5432";

    Duration connectTimeout = Duration.ofSeconds(240);

    Duration startTimeout = Duration.ofSeconds(180);

    Duration waitIdle = Duration.ofSeconds(60);

    boolean quick;

    boolean profile;

    Path gatewayJar;

    String commit = "unknown";

    String java = ProcessHandle.current().info().command().orElse("java");

    List<String> serverJvm = new ArrayList<>(List.of("-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));

    List<String> gatewayArgs = new ArrayList<>();

    Set<String> skip = new HashSet<>();

    String mosquitto = "/usr/sbin/mosquitto";

    String mosquittoPub = "mosquitto_pub";

    Path work;

    Path tmp;

    Path out;

    String command = "";

    private Path results;

    static Options parse(String[] args) throws IOException {
        Options o = new Options();
        if (List.of(args).contains("--quick")) {
            o.quick();
        }
        String stamp = stamp();
        for (int i = 0; i < args.length; i++) {
            i = o.read(args, i);
        }
        o.check();
        o.place(stamp);
        return o;
    }

    /** A tool of the JDK that runs the load generator (jcmd, jfr). */
    Path jdkTool(String name) {
        return Path.of(this.java).resolveSibling(name);
    }

    private static String stamp() {
        return LocalDateTime.now().format(STAMP);
    }

    /** The smoke check's sizes; options given on the command line still win, wherever they stand. */
    private void quick() {
        this.quick = true;
        this.devices = 300;
        this.bigDevices = 1000;
        this.rate = 500;
        this.duration = Duration.ofSeconds(3);
        this.bigDuration = Duration.ofSeconds(3);
        this.warmup = Duration.ofSeconds(2);
        this.rateWarmup = Duration.ofSeconds(1);
        this.concurrency = 32;
        this.coldSamples = 5;
        this.pubMessages = 20;
        this.connectConcurrency = 50;
        this.pairedRounds = 1;
    }

    /** Reads the option at {@code args[i]} and returns the index of its last word (one switch per line). */
    private int read(String[] args, int i) {
        String arg = args[i];
        switch (arg) {
            case "--quick" -> {
            }
            case "--profile" -> this.profile = true;
            case "--async-profile" -> this.asyncProfile = true;
            case "--generator" -> this.generator = args[++i];
            case "--wrk-threads" -> this.wrkThreads = Integer.parseInt(args[++i]);
            case "--ablate" -> this.ablate.addAll(List.of(args[++i].split(",")));
            case "--replicas" -> this.replicas = Stream.of(args[++i].split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .distinct()
                .sorted()
                .toList();
            case "--postgres" -> this.postgres = args[++i];
            case "--ablation-jar" -> this.ablationJar = Path.of(args[++i]).toAbsolutePath();
            case "--devices" -> this.devices = Integer.parseInt(args[++i]);
            case "--big-devices" -> this.bigDevices = Integer.parseInt(args[++i]);
            case "--rate" -> this.rate = Double.parseDouble(args[++i]);
            case "--qos" -> this.qos = Integer.parseInt(args[++i]);
            case "--payload" -> this.payload = Integer.parseInt(args[++i]);
            case "--duration" -> this.duration = seconds(args[++i]);
            case "--big-duration" -> this.bigDuration = seconds(args[++i]);
            case "--warmup" -> this.warmup = seconds(args[++i]);
            case "--concurrency" -> this.concurrency = Integer.parseInt(args[++i]);
            case "--cold-samples" -> this.coldSamples = Integer.parseInt(args[++i]);
            case "--pub-messages" -> this.pubMessages = Integer.parseInt(args[++i]);
            case "--connect-concurrency" -> this.connectConcurrency = Integer.parseInt(args[++i]);
            case "--max-inflight" -> this.maxInflight = Integer.parseInt(args[++i]);
            case "--http-clients" -> this.httpClients = Integer.parseInt(args[++i]);
            case "--paired" -> this.pairedRounds = Integer.parseInt(args[++i]);
            case "--wait-idle" -> this.waitIdle = Duration.ofSeconds(Long.parseLong(args[++i]));
            case "--gateway-jar" -> this.gatewayJar = Path.of(args[++i]).toAbsolutePath();
            case "--commit" -> this.commit = args[++i];
            case "--server-jvm" -> this.serverJvm = new ArrayList<>(List.of(args[++i].trim().split("\\s+")));
            case "--gateway-arg" -> this.gatewayArgs.add(args[++i]);
            case "--skip" -> this.skip.addAll(List.of(args[++i].split(",")));
            case "--results" -> this.results = Path.of(args[++i]);
            case "--work" -> this.work = Path.of(args[++i]).toAbsolutePath();
            case "--tmp" -> this.tmp = Path.of(args[++i]).toAbsolutePath();
            case "--command" -> this.command = args[++i];
            default -> throw new IllegalArgumentException("unknown option " + arg + " (see bench/run.sh --help)");
        }
        return i;
    }

    /** Seconds, fractions allowed. */
    private static Duration seconds(String value) {
        return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
    }

    private void check() {
        if (this.gatewayJar == null || !Files.isRegularFile(this.gatewayJar)) {
            throw new IllegalArgumentException("--gateway-jar must name the gateway's jar");
        }
        if (this.qos != 0 && this.qos != 1) {
            throw new IllegalArgumentException("--qos must be 0 or 1");
        }
        if (!List.of("auto", "wrk", "java").contains(this.generator)) {
            throw new IllegalArgumentException("--generator must be wrk, java or auto");
        }
        if (!this.ablate.isEmpty() && (this.ablationJar == null || !Files.isRegularFile(this.ablationJar))) {
            throw new IllegalArgumentException("--ablate needs --ablation-jar (run.sh builds it)");
        }
        if (this.replicas.stream().anyMatch(count -> count < 1 || count > 9)) {
            throw new IllegalArgumentException("--replicas must list cluster sizes from 1 to 9, e.g. 1,2,3");
        }
        if (this.devices < 1 || this.bigDevices < 1 || this.rate <= 0 || this.payload < 0 || this.concurrency < 1) {
            throw new IllegalArgumentException("devices, rate and concurrency must be positive");
        }
    }

    /** Where the logs, the temporary files and the report go. */
    private void place(String stamp) throws IOException {
        if (this.work == null) {
            this.work = Path.of("bench", "target", "runs", stamp).toAbsolutePath();
        }
        if (this.results == null) {
            // a smoke check's figures are not results: its report stays with its logs
            this.results = this.quick ? this.work : Path.of("bench", "results");
        }
        this.out = this.results.resolve(this.work.getFileName() + ".md").toAbsolutePath();
        if (this.tmp == null) {
            this.tmp = Files.createTempDirectory("iot-gateway-bench-");
        }
    }
}
