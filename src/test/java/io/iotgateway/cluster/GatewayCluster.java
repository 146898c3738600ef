package io.iotgateway.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.iotgateway.testsupport.BrokerLog;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.GatewayProcess;
import io.iotgateway.testsupport.MosquittoBroker;
import io.iotgateway.testsupport.MosquittoConfig;
import io.iotgateway.testsupport.MqttTestSubscriber;
import io.iotgateway.testsupport.PlatformKicks;
import io.iotgateway.testsupport.PostgresDatabase;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

import static org.awaitility.Awaitility.await;

/**
 * Gateway replicas as separate JVMs (the packaged jar, extracted and with an AOT cache as {@link FastStartGateway}
 * prepares it) around one real broker and one registry, for the cluster tests: a mosquitto process on a free port
 * that logs every login, kept to one connection per device as the platform does ({@link PlatformKicks}); a
 * subscriber to {@code #} on it that records what the broker received; a fresh PostgreSQL database; secrets made for
 * the run. Each replica has a fixed slot (HTTP port, member port), so the static member list stays right across
 * restarts; a slot can be started again under another name (a fresh replica).
 * <p>
 * The replicas a load balancer would send requests to are those {@linkplain #inRotation() in rotation}: a replica
 * leaves it before it is stopped, killed or frozen (a Service drops an endpoint about then) and comes back once its
 * readiness probe answers UP.
 */
final class GatewayCluster implements AutoCloseable {

    // three JVMs and the test on two cores: small heaps, the C1 compiler only, two carriers each
    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xss512k", "-Djdk.virtualThreadScheduler.parallelism=2");

    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(180);

    private static final Pattern OWNER = Pattern.compile("\"owner\"\\s*:\\s*\"([^\"]*)\"");

    private final Path jar;

    private final Path output;

    private final ReplicaSecrets secrets = new ReplicaSecrets();

    private final ClusterDevices devices;

    private final List<Slot> slots;

    private final Map<String, Boolean> rotation = new ConcurrentHashMap<>();

    private final List<String> extraArguments;

    private @Nullable FastStartGateway fastStart;

    private @Nullable Duration training;

    private @Nullable PostgresDatabase database;

    private @Nullable MosquittoBroker broker;

    private @Nullable PlatformKicks platformKicks;

    private @Nullable MqttTestSubscriber subscriber;

    private GatewayCluster(Path jar, Path output, int slots, ClusterDevices devices, List<String> extraArguments) {
        this.jar = jar;
        this.output = output;
        this.devices = devices;
        this.extraArguments = List.copyOf(extraArguments);
        List<Slot> all = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            all.add(new Slot(i + 1, GatewayProcess.freePort(), GatewayProcess.freePort()));
        }
        this.slots = List.copyOf(all);
    }

    /** The packaged gateway, as failsafe names it for RepeatedStartIT. */
    static Path jar() {
        return Path.of(System.getProperty("repeated-start.jar", "target/iot-gateway-0.1.0-SNAPSHOT.jar"));
    }

    /** Where a test class keeps the replicas' logs, the broker's log and its figures: beside the build's. */
    static Path outputFor(Class<?> testClass) {
        return Path.of(System.getProperty("repeated-start.output", "target/repeated-start"))
            .resolveSibling("cluster-it")
            .resolve(testClass.getSimpleName());
    }

    /**
     * Starts the broker, its subscriber and the database, and prepares the gateway's fast start (trained once per
     * packaged jar); no replica yet. {@code output} starts empty: what an earlier run left there goes. Every replica
     * runs with {@code gateway.cluster.enabled=true} and the slots' member ports as its member list.
     * @param extraArguments more gateway arguments for every replica
     */
    static GatewayCluster prepare(Path jar, Path output, int slots, ClusterDevices devices,
            List<String> extraArguments) throws Exception {
        FileSystemUtils.deleteRecursively(output);
        Files.createDirectories(output);
        GatewayCluster cluster = new GatewayCluster(jar, output, slots, devices, extraArguments);
        try {
            cluster.database = PostgresDatabase.create("cluster_it");
            cluster.broker = MosquittoBroker.start(MosquittoConfig.anonymous());
            cluster.platformKicks = PlatformKicks.start(cluster.broker);
            cluster.subscriber = MqttTestSubscriber.connect(cluster.broker.uri(), "harness-subscriber", "-", "#");
            if (FastStartGateway.ENABLED) {
                cluster.fastStart = FastStartGateway.extract(jar, output.getParent());
                int memberPort = GatewayProcess.freePort();
                List<String> arguments = new ArrayList<>(List.of("--server.port=" + GatewayProcess.freePort()));
                arguments.addAll(cluster.arguments("aot-training", memberPort, "127.0.0.1:" + memberPort));
                cluster.training = cluster.fastStart.train(JVM_OPTIONS, arguments,
                        cluster.secrets.environment(ClusterDevices.PRODUCT_KEY), TRAINING_TIMEOUT);
            }
            return cluster;
        }
        catch (Exception | Error ex) {
            cluster.close();
            throw ex;
        }
    }

    /**
     * How long the training of the AOT cache took ({@link FastStartGateway}), or {@code null} when the replicas
     * start without one or it was there already.
     */
    @Nullable Duration aotTraining() {
        return this.training;
    }

    /** Whether the replicas start with an AOT cache of the gateway's classes. */
    boolean startsWithAotCache() {
        return this.fastStart != null && this.fastStart.hasCache();
    }

    ClusterDevices devices() {
        return this.devices;
    }

    List<Slot> slots() {
        return this.slots;
    }

    Slot slot(int number) {
        return this.slots.get(number - 1);
    }

    MosquittoBroker broker() {
        return require(this.broker);
    }

    MqttTestSubscriber subscriber() {
        return require(this.subscriber);
    }

    PlatformKicks platformKicks() {
        return require(this.platformKicks);
    }

    BrokerLog brokerLog() {
        return BrokerLog.of(broker());
    }

    /** The replicas running now, by name. */
    List<Slot> running() {
        return this.slots.stream().filter(Slot::isRunning).toList();
    }

    /** The replicas a load balancer sends requests to now. */
    List<Slot> inRotation() {
        return this.slots.stream()
            .filter((slot) -> slot.isRunning() && this.rotation.getOrDefault(slot.name(), false))
            .toList();
    }

    void takeOutOfRotation(Slot slot) {
        this.rotation.put(slot.name(), false);
    }

    /**
     * Sends requests to the replica again; one coming back (thawed) gets new connections, as a load balancer's health
     * check opens them: the idle ones from before the freeze are the replica's to close as it wakes up, and a request
     * sent on one of them meanwhile would find it closed.
     */
    void putInRotation(Slot slot) {
        Boolean before = this.rotation.put(slot.name(), true);
        if (Boolean.FALSE.equals(before)) {
            slot.renewHttp();
        }
    }

    /**
     * Starts the slot's replica as {@code name}, with a data directory of its own (a fresh replica each time);
     * returns at once. See {@link #awaitReady}.
     */
    void start(Slot slot, String name) {
        if (slot.isRunning()) {
            throw new IllegalStateException(slot + " is running");
        }
        String members = this.slots.stream()
            .map((member) -> "127.0.0.1:" + member.memberPort())
            .collect(Collectors.joining(","));
        List<String> arguments = arguments(name, slot.memberPort(), members);
        Path log = this.output.resolve(name + ".log");
        FastStartGateway fast = this.fastStart;
        Path jar = (fast != null) ? fast.jar() : this.jar;
        List<String> jvmOptions = (fast != null) ? fast.jvmOptions(JVM_OPTIONS) : JVM_OPTIONS;
        slot.started(name, GatewayProcess.start(jar, slot.httpPort(), jvmOptions, arguments,
                this.secrets.environment(ClusterDevices.PRODUCT_KEY), log));
    }

    /** A replica's arguments but its HTTP port: a data directory of its own, the registry, the broker, the member. */
    private List<String> arguments(String name, int memberPort, String members) {
        Path data = this.output.resolve(name + "-" + System.nanoTime() + "-data");
        List<String> arguments = new ArrayList<>(List.of("--gateway.data-dir=" + data,
                "--spring.datasource.url=" + require(this.database).jdbcUrl(),
                "--spring.datasource.username=" + PostgresDatabase.USERNAME,
                "--gateway.platform.endpoint=" + broker().uri(), "--gateway.mqtt.max-connects-per-second=100",
                "--gateway.cluster.enabled=true", "--gateway.cluster.port=" + memberPort,
                "--gateway.cluster.members=" + members, "--gateway.cluster.address=127.0.0.1",
                "--gateway.cluster.replica-name=" + name));
        arguments.addAll(this.extraArguments);
        return arguments;
    }

    /**
     * Waits until the slot's readiness probe answers 200 (with a cluster: a member that owns its share), puts it in
     * rotation and returns how long it took since its start.
     */
    Duration awaitReady(Slot slot) {
        GatewayProcess process = slot.process();
        try {
            await(slot.name() + " ready").atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !process.isAlive() || process.get("/actuator/health/readiness") == 200);
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError(slot.name() + " was not ready within " + READY_TIMEOUT.toSeconds()
                    + " s; threads: " + process.dumpThreads(slot.name()) + "; its log " + process.log() + " ends:\n"
                    + process.logTail(60), ex);
        }
        if (!process.isAlive()) {
            throw new AssertionError(slot.name() + " exited with " + process.exitValue() + " before it was ready; "
                    + process.log() + " ends:\n" + process.logTail(60));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - slot.startedAtNanos());
        putInRotation(slot);
        return took;
    }

    /** Stops the replica with SIGTERM (it hands its devices over) and returns how long it took to exit. */
    Duration terminate(Slot slot) {
        takeOutOfRotation(slot);
        long began = System.nanoTime();
        if (!slot.process().terminate(STOP_TIMEOUT)) {
            throw new AssertionError(slot.name() + " did not exit within " + STOP_TIMEOUT.toSeconds()
                    + " s of SIGTERM; threads: " + slot.process().dumpThreads(slot.name() + "-stop") + "; log "
                    + slot.process().log() + " ends:\n" + slot.process().logTail(60));
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** Kills the replica with SIGKILL; returns {@link System#nanoTime()} of the kill. */
    long kill(Slot slot) {
        takeOutOfRotation(slot);
        long killedAt = System.nanoTime();
        if (!slot.process().kill(Duration.ofSeconds(10))) {
            throw new AssertionError(slot.name() + " survived SIGKILL for 10 s");
        }
        return killedAt;
    }

    /** Imports every device through the admin API of {@code slot} (the registry is shared); returns the answer. */
    HttpResponse<String> importDevices(Slot slot) {
        return admin(slot).withTimeout(Duration.ofSeconds(60))
            .post("/api/v1/admin/devices/import", "application/json", this.devices.importJson());
    }

    /** Plain HTTP to the slot's replica as the admin client. */
    GatewayHttpClient admin(Slot slot) {
        return slot.http().withHeaders("X-API-Key", this.secrets.adminKey());
    }

    /** Plain HTTP to the slot's replica as the publisher client. */
    GatewayHttpClient publisher(Slot slot) {
        return slot.http().withHeaders("X-API-Key", this.secrets.publisherKey());
    }

    /**
     * Every device's {@code owner} as {@code GET /api/v1/devices/{pk}/{dn}} on {@code slot} answers it, by device:
     * a replica name, {@code "?"} where the answer has no owner, {@code "!<status>"} where it is not 200.
     */
    Map<String, String> owners(Slot slot) {
        GatewayHttpClient admin = admin(slot).withTimeout(Duration.ofSeconds(10));
        // a few at a time: the replicas under test share the two cores
        Semaphore concurrency = new Semaphore(16);
        Map<String, Future<String>> answers = new LinkedHashMap<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String device : this.devices.ids()) {
                answers.put(device, executor.submit(() -> {
                    concurrency.acquire();
                    try {
                        return ownerIn(admin.get(ClusterDevices.path(device)));
                    }
                    catch (UncheckedIOException ex) {
                        return "!io";
                    }
                    finally {
                        concurrency.release();
                    }
                }));
            }
        }
        Map<String, String> owners = new TreeMap<>();
        answers.forEach((device, answer) -> owners.put(device, answer.resultNow()));
        return owners;
    }

    /**
     * Writes the threads of every running replica next to its log, for a failure message; a frozen one gets its
     * files too, with jcmd's word that it did not answer. Returns the files.
     */
    List<Path> dumpThreads(String reason) {
        List<Path> files = new ArrayList<>();
        for (Slot slot : running()) {
            files.addAll(slot.process().dumpThreads(slot.name() + "-" + reason));
        }
        return files;
    }

    /** Devices per owner, from {@link #owners}. */
    static Map<String, Long> countByOwner(Map<String, String> owners) {
        return owners.values()
            .stream()
            .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    Path output() {
        return this.output;
    }

    /** Kills every replica, then closes the subscriber, the broker and the database. */
    @Override
    public void close() {
        this.slots.forEach(Slot::close);
        closeQuietly(this.platformKicks);
        closeQuietly(this.subscriber);
        if (this.broker != null) {
            // kept for a look after a failure: the broker's temp dir goes with it
            try {
                Files.writeString(this.output.resolve("mosquitto.log"), this.broker.log());
            }
            catch (IOException ex) {
                // the copy is a convenience
            }
            this.broker.close();
        }
        closeQuietly(this.database);
    }

    private static String ownerIn(HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            return "!" + answer.statusCode();
        }
        Matcher owner = OWNER.matcher(answer.body());
        return owner.find() ? owner.group(1) : "?";
    }

    private static void closeQuietly(@Nullable AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (Exception ex) {
            // closing after the test: nothing more to do
        }
    }

    private static <T> T require(@Nullable T value) {
        if (value == null) {
            throw new IllegalStateException("The cluster harness is not prepared");
        }
        return value;
    }

    /** A replica's place: its ports stay, the process in it and its name change with each start. */
    static final class Slot {

        private final int number;

        private final int httpPort;

        private final int memberPort;

        private volatile @Nullable GatewayProcess process;

        private volatile @Nullable GatewayHttpClient http;

        private volatile String name;

        private volatile long startedAtNanos;

        Slot(int number, int httpPort, int memberPort) {
            this.number = number;
            this.httpPort = httpPort;
            this.memberPort = memberPort;
            this.name = "r" + number;
        }

        int number() {
            return this.number;
        }

        int httpPort() {
            return this.httpPort;
        }

        int memberPort() {
            return this.memberPort;
        }

        /** The name of the replica in it (shown as {@code owner}); the last one's while none runs. */
        String name() {
            return this.name;
        }

        long startedAtNanos() {
            return this.startedAtNanos;
        }

        boolean isRunning() {
            GatewayProcess current = this.process;
            return current != null && current.isAlive();
        }

        GatewayProcess process() {
            GatewayProcess current = this.process;
            if (current == null) {
                throw new IllegalStateException("Nothing was started in slot " + this.number);
            }
            return current;
        }

        /** Plain HTTP to the replica in it. */
        GatewayHttpClient http() {
            GatewayHttpClient current = this.http;
            if (current == null) {
                throw new IllegalStateException("Nothing was started in slot " + this.number);
            }
            return current;
        }

        private void renewHttp() {
            this.http = new GatewayHttpClient(this.httpPort);
        }

        Optional<GatewayProcess> processIfStarted() {
            return Optional.ofNullable(this.process);
        }

        private void started(String name, GatewayProcess process) {
            this.name = name;
            this.process = process;
            this.http = process.http();
            this.startedAtNanos = System.nanoTime();
        }

        private void close() {
            GatewayProcess current = this.process;
            if (current != null) {
                current.close();
            }
        }

        @Override
        public String toString() {
            return "Slot[" + this.number + ", " + this.name + ", http " + this.httpPort + ", member "
                    + this.memberPort + (isRunning() ? ", running" : "") + "]";
        }

    }

}
