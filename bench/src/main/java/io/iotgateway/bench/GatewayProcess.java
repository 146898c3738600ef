package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * A gateway the run started from the jar under test, on the run's broker with a list of made-up devices, and what
 * the run asks of it: how many devices are connected, its heap, its Prometheus scrape, its log.
 */
final class GatewayProcess {

    /** How long a gateway may take to stop after SIGTERM: about what the Helm chart's pods get (30 s drain + slack). */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(45);

    private static final Pattern WARM_UP_LOGGED = Pattern
        .compile("Warm-up: (\\d+) of (\\d+) devices connected in (\\d+) ms");

    // jcmd GC.heap_info of G1: "garbage-first heap   total reserved 524288K, committed 145408K, used 60535K [...]"
    // (JDK 25; older JDKs wrote "total 145408K, used ...")
    private static final Pattern HEAP_USED = Pattern.compile("(?:total|committed) (\\d+)K, used (\\d+)K");

    private final Child child;

    private final String baseUrl;

    private final double startup;

    private final Probe probe;

    private final Path jcmd;

    private GatewayProcess(Child child, String baseUrl, double startup, Probe probe, Path jcmd) {
        this.child = child;
        this.baseUrl = baseUrl;
        this.startup = startup;
        this.probe = probe;
        this.jcmd = jcmd;
    }

    /**
     * Starts a gateway for these devices and waits until it is ready; its command line goes into the facts.
     * @param extra arguments for this gateway besides the run's own (--gateway-arg)
     */
    static GatewayProcess start(Rig rig, String name, Devices devices, List<String> extra) throws IOException {
        return start(rig, name, devices, plainJar(rig.options()), extra);
    }

    /** How the jar under test is started by default: {@code -jar <jar>}. */
    static List<String> plainJar(Options o) {
        return List.of("-jar", o.gatewayJar.toString());
    }

    /**
     * Starts a gateway as {@link #start(Rig, String, Devices, List)} does, the jar started by {@code jarCommand}
     * (e.g. with the bench's ablation jar, {@link Ablation#jarCommand}).
     */
    static GatewayProcess start(Rig rig, String name, Devices devices, List<String> jarCommand, List<String> extra)
            throws IOException {
        Options o = rig.options();
        Path dir = o.tmp.resolve(name);
        Files.createDirectories(dir.resolve("data"));
        Path properties = dir.resolve("devices.properties");
        devices.writeGatewayProperties(properties);
        int port = Bench.freePort();
        List<String> command = new ArrayList<>();
        command.add(o.java);
        command.addAll(o.serverJvm);
        command.addAll(jarCommand);
        command.addAll(List.of("--gateway.platform.endpoint=tcp://127.0.0.1:" + rig.broker().port(), "--gateway.security.open=true",
                "--gateway.data-dir=" + dir.resolve("data"), "--server.port=" + port, "--server.address=127.0.0.1",
                "--spring.config.additional-location=file:" + properties));
        command.addAll(extra);
        command.addAll(o.gatewayArgs);
        rig.findings().facts.gatewayCommands.put(name, String.join(" ", command)
            .replace(o.gatewayJar.toString(), "<jar>")
            .replace(o.tmp.toString(), "<tmp>"));
        Bench.log("%s: %d devices, port %d %s", name, devices.size(), port, extra.isEmpty() ? "" : extra);
        Child child = rig.processes().start(name, command, o.work.resolve(name + ".log"), dir);
        String baseUrl = "http://127.0.0.1:" + port;
        double startup = rig.probe().awaitReady(child, baseUrl + "/actuator/health/readiness", o.startTimeout);
        Bench.log("%s ready after %.1f s", name, startup);
        return new GatewayProcess(child, baseUrl, startup, rig.probe(), o.jdkTool("jcmd"));
    }

    Child child() {
        return this.child;
    }

    String baseUrl() {
        return this.baseUrl;
    }

    /** Seconds from the start of its process until it was ready. */
    double startup() {
        return this.startup;
    }

    /** Devices the gateway reports connected: the health component's count, else the devices API; -1: no answer. */
    int connected() {
        // the first "mqtt" component wherever the build nests it; "connected" is among its details
        Optional<Integer> healthy = this.probe.json(this.baseUrl + "/actuator/health")
            .map(health -> health.findValue("mqtt"))
            .map(mqtt -> mqtt.findValue("connected"))
            .filter(JsonNode::isIntegralNumber)
            .map(JsonNode::intValue);
        if (healthy.isPresent()) {
            return healthy.get();
        }
        // a build without the health details: count the devices whose connection state says so
        return this.probe.json(this.baseUrl + "/api/v1/devices")
            .map(list -> (int) list.findValues("state").stream()
                .filter(state -> "CONNECTED".equals(state.asString("")))
                .count())
            .orElse(-1);
    }

    /** Runs a jcmd diagnostic command against the gateway and returns its output. */
    String jcmd(String... command) throws IOException {
        List<String> line = new ArrayList<>();
        line.add(this.jcmd.toString());
        line.add(Long.toString(this.child.pid()));
        line.addAll(List.of(command));
        return Processes.output(line, Duration.ofSeconds(60));
    }

    /** The heap still in use after a full GC (jcmd GC.run, then GC.heap_info): what the devices really hold. */
    LiveHeap liveHeap() throws IOException {
        jcmd("GC.run");
        String pid = Long.toString(this.child.pid());
        String info = Processes.output(List.of(this.jcmd.toString(), pid, "GC.heap_info"), Duration.ofSeconds(30));
        Matcher used = HEAP_USED.matcher(info);
        Optional<LiveHeap.Heap> heap = used.find()
                ? Optional.of(new LiveHeap.Heap(Long.parseLong(used.group(2)), Long.parseLong(used.group(1))))
                : Optional.empty();
        return new LiveHeap(heap, ProcStat.read(this.child.pid()).rssKb());
    }

    /** Keeps the gateway's Prometheus scrape (if it has the endpoint) with the logs, for the curious. */
    void scrape(Path file) {
        String body = this.probe.get(this.baseUrl + "/actuator/prometheus");
        if (body != null && !body.isBlank()) {
            try {
                Files.writeString(file, body);
            }
            catch (IOException ex) {
                // only a convenience
            }
        }
    }

    /**
     * The gateway's own log line of its warm-up ("Warm-up: N of M devices connected in T ms"), waited for up to
     * 5 s: the warm-up starts with the pool, before the web server is ready, so only the gateway knows its length.
     */
    Optional<WarmUpLogged> loggedWarmUp() {
        Matcher logged = WARM_UP_LOGGED.matcher("");
        for (int i = 0; i < 50 && !logged.find(); i++) {
            Load.sleep(Duration.ofMillis(100));
            logged = WARM_UP_LOGGED.matcher(Bench.readQuietly(this.child.log()));
        }
        return logged.find(0) ? Optional.of(new WarmUpLogged(logged.group(), Long.parseLong(logged.group(3))))
                : Optional.empty();
    }

    /** Stops the gateway and says how (the seconds SIGTERM took, or that it had to be killed). */
    String stop(Processes processes) {
        return processes.stopDescribed(this.child, SHUTDOWN_GRACE);
    }

    /**
     * The gateway's heap after a full GC and its resident memory then.
     * @param heap absent when jcmd's answer had no heap line
     */
    record LiveHeap(Optional<Heap> heap, long rssKb) {

        record Heap(long usedKb, long committedKb) {
        }
    }

    /**
     * @param line the log line itself
     * @param millis the warm-up's length it names
     */
    record WarmUpLogged(String line, long millis) {
    }
}
