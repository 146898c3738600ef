package io.iotgateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

/**
 * Issue 15's replicas ({@code --replicas 1,2,3}): one cluster on a shared PostgreSQL registry that grows through the
 * given sizes, each replica its own process on this machine, measured in turns with the plain gateway (no cluster,
 * the baseline) over the same windows, as the paired rounds do. The load is spread over the replicas (a wrk process
 * per replica, or with the Java generator each request to a random replica), so with k replicas about (k-1)/k of
 * the requests reach a replica that does not own the device and are forwarded to its owner over HTTP. CPU per
 * message is summed over every replica's process; the forwarded share comes from the replicas' own
 * {@code gateway.cluster.forwarded} counters, read before and after each window.
 */
final class ClusterScenarios {

    /**
     * The cluster's devices: the run's names and secrets under a product key of their own, so that they never share
     * an MQTT client id with the plain gateway's, which stays connected next to them.
     */
    static final String PRODUCT_KEY = "a1BenchClst";

    // the platform's 10 QoS 1 messages per device and second would answer 429 at these rates (1,000 devices,
    // thousands of msg/s): raised for every gateway of the part, the limiter still runs on every request
    static final String RATE_LIMIT = "--gateway.message.rate-limit.qos1-per-second=1000";

    // unmeasured seconds before each window of the Java generator: connections re-established
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private static final Pattern FORWARDED = Pattern
        .compile("^gateway_cluster_forwarded_total\\{([^}]*)\\}\\s+(\\S+)", Pattern.MULTILINE);

    /** Servers measured as one: the plain gateway, or the replicas of the cluster. */
    private record Contender(String label, List<GatewayProcess> servers, Devices devices, boolean clustered) {

        List<String> baseUrls() {
            return this.servers.stream().map(GatewayProcess::baseUrl).toList();
        }
    }

    private final Rig rig;

    private final Options o;

    private final Map<String, HttpTarget> javaTargets = new HashMap<>();

    private Optional<Path> wrk = Optional.empty();

    ClusterScenarios(Rig rig) {
        this.rig = rig;
        this.o = rig.options();
    }

    void run() throws IOException {
        if (this.o.replicas.isEmpty() || this.o.pairedRounds <= 0) {
            return;
        }
        chooseGenerator();
        Devices main = this.rig.mainDevices();
        Devices clustered = new Devices(PRODUCT_KEY, main.names(), main.secrets());
        String database = "iot_gateway_bench_" + this.o.work.getFileName().toString().replaceAll("[^0-9A-Za-z]", "_");
        psql("CREATE DATABASE " + database);
        GatewayProcess plain = null;
        List<GatewayProcess> replicas = new ArrayList<>();
        try {
            Path masterKey = masterKeyFile();
            List<Integer> gridPorts = new ArrayList<>();
            for (int i = 0; i < this.o.replicas.getLast(); i++) {
                gridPorts.add(Bench.freePort());
            }
            plain = PairedRounds.startConnected(this.rig, "gateway-plain", GatewayProcess.plainJar(this.o),
                    List.of(RATE_LIMIT));
            Contender baseline = new Contender("gateway (plain)", List.of(plain), main, false);
            this.rig.idle().before("replicas warm-up");
            Bench.log("replicas: warming the plain gateway up (%d s)", this.o.warmup.toSeconds());
            measure(new Result("cl.plain.warm", baseline.label(), "warm-up"), baseline, this.o.warmup);
            for (int size : this.o.replicas) {
                while (replicas.size() < size) {
                    replicas.add(startReplica(replicas.size() + 1, gridPorts, masterKey, database, clustered));
                }
                settle(replicas, size);
                Contender cluster = new Contender("cluster of " + size, List.copyOf(replicas),
                        clustered, true);
                this.rig.idle().before("replicas " + size + " warm-up");
                Bench.log("replicas: warming the cluster of %d up (%d s)", size, this.o.warmup.toSeconds());
                measure(new Result("cl." + size + ".warm", cluster.label(), "warm-up"), cluster, this.o.warmup);
                for (int round = 1; round <= this.o.pairedRounds; round++) {
                    add(measure(new Result("cl.plain." + size + "." + round, baseline.label(),
                            "next to " + size + " replica(s), round " + round), baseline, this.o.duration), baseline);
                    add(measure(new Result("cl." + size + "." + round, cluster.label(), "cluster, round " + round),
                            cluster, this.o.duration), cluster);
                }
            }
        }
        finally {
            stopAll(replicas);
            if (plain != null) {
                this.rig.processes().stop(plain.child(), GatewayProcess.SHUTDOWN_GRACE);
            }
            this.javaTargets.values().forEach(HttpTarget::close);
            try {
                psql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            catch (IOException | RuntimeException ex) {
                this.rig.findings().note("Could not drop the replicas' database " + database + ": " + ex.getMessage());
            }
        }
    }

    private void chooseGenerator() {
        this.wrk = this.o.generator.equals("java") ? Optional.empty() : Wrk.find();
        if (this.wrk.isEmpty() && this.o.generator.equals("wrk")) {
            throw new IllegalStateException("--generator wrk, but no wrk on the PATH (apt-get install wrk)");
        }
        this.rig.findings().facts.setup.put("Replicas generator", this.wrk
            .map(path -> "wrk (" + path + ", bench/wrk/post.lua), one process per replica, " + this.o.concurrency
                    + " connections and " + this.o.wrkThreads + " threads split between them (at least 1 each), "
                    + "not pinned")
            .orElse("Java HttpClient closed loop, " + this.o.concurrency + " in flight, each request to a random "
                    + "replica"));
    }

    /** A replica of the cluster: the shared registry, the same devices and key, the members started before it. */
    private GatewayProcess startReplica(int number, List<Integer> gridPorts, Path masterKey, String database,
            Devices devices) throws IOException {
        String members = gridPorts.subList(0, number).stream().map(port -> "127.0.0.1:" + port)
            .collect(Collectors.joining(","));
        List<String> extra = List.of("--gateway.cluster.enabled=true", "--gateway.cluster.port="
                + gridPorts.get(number - 1), "--gateway.cluster.members=" + members,
                "--gateway.cluster.address=127.0.0.1", "--gateway.cluster.replica-name=r" + number,
                "--spring.datasource.url=jdbc:postgresql://" + this.o.postgres + "/" + database,
                "--spring.datasource.username=postgres", "--gateway.registry.master-key-file=" + masterKey, RATE_LIMIT);
        return GatewayProcess.start(this.rig, "replica-" + number, devices, GatewayProcess.plainJar(this.o), extra);
    }

    /**
     * Waits until every replica sees all the members and the devices are connected once each, spread over the
     * replicas (a joining replica takes its partitions' devices over from the others), and notes the spread.
     */
    private void settle(List<GatewayProcess> replicas, int size) {
        long begin = System.nanoTime();
        long deadline = begin + this.o.connectTimeout.toNanos();
        String last = "";
        int steady = 0;
        while (System.nanoTime() < deadline) {
            List<Integer> connected = replicas.stream().map(GatewayProcess::connected).toList();
            boolean members = replicas.stream().allMatch(replica -> members(replica) == size);
            int total = connected.stream().mapToInt(Integer::intValue).sum();
            boolean spread = size == 1 || connected.stream().allMatch(count -> count > 0);
            last = spread(connected);
            steady = (members && spread && total == this.o.devices) ? steady + 1 : 0;
            if (steady >= 2) {
                String found = String.format(Locale.ROOT, "%s connected, %.1f s after the last replica was ready",
                        last, (System.nanoTime() - begin) / 1e9);
                this.rig.findings().facts.clusterSpread.put(size, found);
                Bench.log("replicas: %d settled: %s", size, found);
                return;
            }
            Load.sleep(Duration.ofSeconds(1));
        }
        throw new IllegalStateException("the cluster of " + size + " did not settle within "
                + this.o.connectTimeout.toSeconds() + " s: " + last + " connected of " + this.o.devices);
    }

    private static String spread(List<Integer> connected) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < connected.size(); i++) {
            parts.add("r" + (i + 1) + " " + connected.get(i));
        }
        return String.join(", ", parts);
    }

    /** The members this replica's cluster health lists; -1 when it does not answer. */
    private int members(GatewayProcess replica) {
        return this.rig.probe().json(replica.baseUrl() + "/actuator/health")
            .map(health -> health.findValue("cluster"))
            .map(cluster -> cluster.findValue("members"))
            .filter(JsonNode::isArray)
            .map(JsonNode::size)
            .orElse(-1);
    }

    /** One window of load spread over the contender's servers; the replicas' forwarded counters before and after. */
    private Result measure(Result result, Contender contender, Duration window) throws IOException {
        List<Long> pids = contender.servers().stream().map(server -> server.child().pid()).toList();
        Meter meter = new Meter(pids, this.rig.broker().pid());
        ScenarioFacts.Forwarded before = forwarded(contender);
        Map<String, Long> threadsBefore = ThreadCpu.read(pids);
        if (this.wrk.isPresent()) {
            Wrk.spread(this.rig, this.wrk.get(), result, contender.baseUrls(), contender.devices().productKey(),
                    window, meter);
        }
        else {
            List<HttpTarget> targets = contender.baseUrls().stream()
                .map(url -> this.javaTargets.computeIfAbsent(url, key -> this.rig.http(key, contender.devices())))
                .toList();
            Load.closed(result, new RandomServer(targets), this.o.devices, this.o.concurrency, SETTLE, window, meter);
            result.facts.mode += ", each request to a random one of " + targets.size();
        }
        result.facts.threadCpu = ThreadCpu.delta(threadsBefore, ThreadCpu.read(pids));
        ScenarioFacts.Forwarded after = forwarded(contender);
        if (contender.clustered()) {
            result.facts.forwarded = Optional.of(new ScenarioFacts.Forwarded(after.answered() - before.answered(),
                    after.failed() - before.failed()));
        }
        return result;
    }

    /** The replicas' {@code gateway_cluster_forwarded_total} counters, summed (0 for a gateway without them). */
    private ScenarioFacts.Forwarded forwarded(Contender contender) {
        if (!contender.clustered()) {
            return new ScenarioFacts.Forwarded(0, 0);
        }
        long answered = 0;
        long failed = 0;
        for (GatewayProcess server : contender.servers()) {
            String scrape = this.rig.probe().get(server.baseUrl() + "/actuator/prometheus");
            Matcher line = FORWARDED.matcher((scrape != null) ? scrape : "");
            while (line.find()) {
                long count = (long) Double.parseDouble(line.group(2));
                if (line.group(1).contains("outcome=\"answered\"")) {
                    answered += count;
                }
                else {
                    failed += count;
                }
            }
        }
        return new ScenarioFacts.Forwarded(answered, failed);
    }

    private void add(Result result, Contender contender) {
        this.rig.findings().add(result);
        contender.servers().forEach(server -> server.child().checkAlive(result.system + ", " + result.scenario));
    }

    /** The replicas stop at once: one after the other, each would hand its devices to the next to stop. */
    private void stopAll(List<GatewayProcess> replicas) {
        Map<String, String> how = new ConcurrentHashMap<>();
        List<Thread> stopping = replicas.stream()
            .map(replica -> Thread.ofVirtual()
                .start(() -> how.put(replica.child().name(), replica.stop(this.rig.processes()))))
            .toList();
        for (Thread thread : stopping) {
            try {
                thread.join(GatewayProcess.SHUTDOWN_GRACE.plusSeconds(15));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (!how.isEmpty()) {
            this.rig.findings().note("The replicas, stopped together: " + how.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining("; ")) + ".");
        }
    }

    /** The registry's master key, random for the run, in a file of the run's temporary folder (never logged). */
    private Path masterKeyFile() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path file = this.o.tmp.resolve("replicas-master-key");
        Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
        Bench.setReadable(file);
        return file;
    }

    /** A statement as user postgres on {@code --postgres} (trust auth), with {@code psql}. */
    private void psql(String sql) throws IOException {
        String[] hostPort = this.o.postgres.split(":", 2);
        List<String> command = List.of("psql", "-h", hostPort[0], "-p", (hostPort.length > 1) ? hostPort[1] : "5432",
                "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("psql -c \"" + sql + "\" failed: " + out.strip());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted: psql -c \"" + sql + "\"");
        }
    }

    /** Each request to a random one of the servers: with k replicas, (k-1)/k of them reach one that forwards. */
    private record RandomServer(List<HttpTarget> targets) implements Target {

        @Override
        public String send(int device) {
            return this.targets.get(ThreadLocalRandom.current().nextInt(this.targets.size())).send(device);
        }
    }
}
