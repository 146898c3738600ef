package io.iotgateway.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The Markdown results of one run: the setup, one table per scenario family with the gateway's figures as ratios
 * to the baselines, and the check of issue 6's targets.
 */
final class Report {

    private static final long GIB_KB = 1024L * 1024;

    private final Options options;

    private final RunFacts facts;

    private final Map<String, Result> results;

    private final List<String> notes;

    private final GatewayMetadata metadata;

    private final Findings findings;

    private final StringBuilder out = new StringBuilder();

    Report(Options options, Findings findings, GatewayMetadata metadata) {
        this.options = options;
        this.facts = findings.facts;
        this.results = findings.results;
        this.notes = findings.notes;
        this.metadata = metadata;
        this.findings = findings;
    }

    String markdown() {
        Options o = this.options;
        line("# iot-gateway benchmark, " + this.facts.date.map(Object::toString).orElse(""));
        line();
        line("Command: `" + (o.command.isBlank() ? "bench/run.sh" : o.command) + "`" + (o.quick ? " (quick mode: a smoke check, not for the figures)" : ""));
        line();
        line(String.format(Locale.ROOT, "Parameters: %d devices (%d for the scale scenario), QoS %d, %d-byte payload, "
                + "closed loop with %d concurrent requests, fixed rate %.0f msg/s, warm-up %d s, measured %d s "
                + "(%d s across all %d devices).", o.devices, o.bigDevices, o.qos, o.payload, o.concurrency, o.rate,
                o.warmup.toSeconds(), o.duration.toSeconds(), o.bigDuration.toSeconds(), o.bigDevices));
        line();
        line("| Setup | |");
        line("|---|---|");
        for (String key : List.of("Gateway build", "Gateway jar", "CPU", "Memory", "Machine load", "Kernel", "Java", "Broker",
                "Open files limit", "Scheduling gaps", "Server JVM flags (gateway and HTTP ceiling)", "Load generator JVM flags",
                "mosquitto.conf")) {
            if (this.facts.setup.containsKey(key)) {
                line("| " + key + " | " + cell(this.facts.setup.get(key)) + " |");
            }
        }
        this.facts.gatewayCommands.forEach((name, command) -> line("| Gateway command (" + name + ") | `"
                + cell(command) + "` |"));
        if (this.metadata != null && !this.metadata.defaults.isEmpty()) {
            line("| Gateway settings (`gateway.mqtt.*` and rate-limit defaults of this build) | " + this.metadata.defaults.entrySet()
                .stream()
                .filter(e -> e.getKey().startsWith("gateway.mqtt.") || e.getKey().startsWith("gateway.pool.")
                        || e.getKey().startsWith("gateway.message.rate-limit."))
                .map(e -> e.getKey().substring("gateway.".length()) + "=" + e.getValue())
                .collect(Collectors.joining(", ")) + " |");
        }
        line();

        throughput();
        paired();
        this.out.append(new AblationReport(this.options, this.findings).markdown());
        this.out.append(new ClusterReport(this.options, this.findings).markdown());
        fixedRate();
        coldPath();
        scale();
        targets();

        for (Result r : this.results.values()) {
            double other = r.cpuPercent(r.otherCpuMillis);
            if (other > 20) {
                this.notes.add(String.format(Locale.ROOT, "Other processes on the machine used %.0f %% of one core "
                        + "during \"%s, %s\": its figures are disturbed.", other, r.system, r.scenario));
            }
        }
        if (this.facts.profile.isPresent()) {
            Profile profile = this.facts.profile.get();
            line("## Where the gateway's CPU went in its max-throughput run (JFR execution samples)");
            line();
            line("Recorded with `jcmd JFR.start settings=profile` over the warm-up and the measured window; each sample "
                    + "is charged to the library of its first frame from the top of the stack that is not the JDK's. The "
                    + "recording and `jfr view` outputs are in the run's folder under bench/target/runs/.");
            line();
            (profile.samples + " samples\n\n" + profile.markdown(20)).lines().forEach(this::line);
            line();
        }
        if (!this.notes.isEmpty()) {
            line("## Notes");
            line();
            this.notes.forEach(note -> line("- " + note));
            line();
        }
        line("## All scenarios");
        line();
        line("CPU in milliseconds over the window; \"other\" is every other process on the machine (and the kernel "
                + "outside them): it should be near 0.");
        line();
        line("| id | system | scenario | mode | ok | errors | seconds | msg/s | p50 ms | p99 ms | p99.9 ms | max ms | "
                + "server CPU | broker CPU | load gen CPU | other CPU | server RSS before → after | server threads before → after | facts |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : this.results.values()) {
            String facts = r.facts.listed()
                .entrySet()
                .stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
            String rss = r.serverAfter.present()
                    ? mib(r.serverBefore.rssKb()) + " → " + mib(r.serverAfter.rssKb()) : "–";
            String threads = r.serverAfter.present()
                    ? r.serverBefore.threads() + " → " + r.serverAfter.threads() : "–";
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %.1f | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                    r.id, r.system, r.scenario, cell(r.facts.mode), r.ok(), errors(r), r.seconds,
                    r.throughput(), ms(r.ms(50)), ms(r.ms(99)), ms(r.ms(99.9)), ms(r.maxMs()), num(r.serverCpuMillis),
                    num(r.brokerCpuMillis), num(r.loadgenCpuMillis) + (r.childrenCpuMillis > 0
                            ? " + " + r.childrenCpuMillis + " children" : ""), num(r.otherCpuMillis), rss, threads,
                    cell(facts)));
        }
        line();
        return this.out.toString();
    }

    private void throughput() {
        Result gw = this.results.get("gw.max");
        if (gw == null && !this.results.containsKey("a.max") && !this.results.containsKey("b.max")) {
            return;
        }
        Options o = this.options;
        line(String.format(Locale.ROOT, "## Maximum throughput: QoS %d, %d devices, %d-byte payload", o.qos,
                o.devices, o.payload));
        line();
        line("Closed loop, " + o.concurrency + " requests (or publishes) in flight; (c) runs "
                + o.pubConcurrency + " `mosquitto_pub` processes at a time. CPU: share of one core over the "
                + "measured window (100 % = one of the 2 cores) and CPU time per message.");
        line();
        line("| System | msg/s | p50 ms | p99 ms | p99.9 ms | errors | server CPU | broker CPU | load generator CPU | "
                + "other processes' CPU | gateway ÷ this (msg/s) | CPU µs per message, all of ours | msg/s if all " + CPUS
                + " cores were ours (estimate) | gateway ÷ this (estimate) |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String id : List.of("gw.max", "a.max", "b.max", "c.pub")) {
            Result r = this.results.get(id);
            if (r == null) {
                continue;
            }
            line(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f | %s |",
                    label(r), r.throughput(), ms(r.ms(50)), ms(r.ms(99)), ms(r.ms(99.9)), errors(r),
                    cpu(r, r.serverCpuMillis), cpu(r, r.brokerCpuMillis),
                    cpu(r, r.loadgenCpuMillis + Math.max(0, r.childrenCpuMillis)), cpu(r, r.otherCpuMillis),
                    (gw == null || r == gw) ? "" : ratio(gw.throughput(), r.throughput()), pipelineUs(r),
                    estimate(r), (gw == null || r == gw) ? "" : ratio(estimate(gw), estimate(r))));
        }
        line();
        line("The estimate divides the " + CPUS + " cores by the CPU time that the server, the broker and the load "
                + "generator together spent per message: what the same work would reach with the machine to itself, "
                + "if it stayed CPU-bound. It does not depend on what other processes did during the run; the "
                + "measured msg/s does.");
        line();
    }

    /** The paired rounds: (b) and the gateway measured in turns, with each round's ratio. */
    private void paired() {
        if (!this.results.containsKey("pair.gw.1")) {
            return;
        }
        line("## Paired rounds: the gateway and (b) measured in turns");
        line();
        line("Both servers up at the same time; each round measures (b), then the gateway, over the same window "
                + "(closed loop, " + this.options.concurrency + " in flight, after a shared warm-up). The machine's "
                + "speed drifts over minutes, so a ratio of two servers measured in turns is steadier than one of "
                + "servers measured minutes apart.");
        line();
        line("Generator: " + this.facts.setup.getOrDefault("Paired-round generator", "Java HttpClient") + ".");
        line();
        line("| Round | (b) msg/s | gateway msg/s | gateway ÷ (b) | (b) server µs/msg | gateway server µs/msg | (b) p99 ms | gateway p99 ms | load generator µs/msg (b) / gateway | errors | other processes' CPU |");
        line("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int round = 1; this.results.containsKey("pair.gw." + round); round++) {
            Result b = this.results.get("pair.b." + round);
            Result gw = this.results.get("pair.gw." + round);
            if (b == null) {
                continue;
            }
            line(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %s | %.0f | %.0f | %.1f | %.1f | %.0f / %.0f | %s | %s / %s |",
                    round, b.throughput(), gw.throughput(), ratio(gw.throughput(), b.throughput()), serverUs(b),
                    serverUs(gw), b.ms(99), gw.ms(99), loadgenUs(b), loadgenUs(gw),
                    (b.errorCount() + gw.errorCount() == 0) ? "0" : "⚠ " + errors(b) + " / " + errors(gw),
                    cpu(b, b.otherCpuMillis), cpu(gw, gw.otherCpuMillis)));
        }
        List<Double> ratios = pairedRatios();
        line();
        if (!ratios.isEmpty()) {
            line(String.format(Locale.ROOT, "Median gateway ÷ (b): **%.2f**.", median(ratios)));
        }
        line();
    }

    private List<Double> pairedRatios() {
        List<Double> ratios = new java.util.ArrayList<>();
        for (int round = 1; this.results.containsKey("pair.gw." + round); round++) {
            Result b = this.results.get("pair.b." + round);
            if (b != null && b.throughput() > 0) {
                ratios.add(this.results.get("pair.gw." + round).throughput() / b.throughput());
            }
        }
        return ratios;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The load generator's own CPU per message, wrk's (a child process) included. */
    private static double loadgenUs(Result r) {
        return r.cpuUsPerMessage(Math.max(0, r.loadgenCpuMillis) + Math.max(0, r.childrenCpuMillis));
    }

    private static double serverUs(Result r) {
        return (r.ok() > 0) ? r.serverCpuMillis * 1000.0 / r.ok() : 0;
    }

    private void fixedRate() {
        Result gw = this.results.get("gw.rate");
        if (gw == null && !this.results.containsKey("a.rate")) {
            return;
        }
        Options o = this.options;
        line(String.format(Locale.ROOT, "## Latency at a fixed %.0f msg/s: QoS %d, %d devices", o.rate, o.qos,
                o.devices));
        line();
        line("Open loop: each message starts when it is due, whatever the earlier ones do, and its latency counts "
                + "from that moment (no coordinated omission).");
        line();
        line("| System | achieved msg/s | p50 ms | p99 ms | p99.9 ms | max ms | errors | server CPU | broker CPU | gateway p99 ÷ this p99 |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        for (String id : List.of("gw.rate", "a.rate", "b.rate")) {
            Result r = this.results.get(id);
            if (r == null) {
                continue;
            }
            line(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |", label(r),
                    r.throughput(), ms(r.ms(50)), ms(r.ms(99)), ms(r.ms(99.9)), ms(r.maxMs()), errors(r),
                    cpu(r, r.serverCpuMillis), cpu(r, r.brokerCpuMillis),
                    (gw == null || r == gw) ? "" : ratio(gw.ms(99), r.ms(99))));
        }
        line();
    }

    private void coldPath() {
        if (!this.results.containsKey("gw.cold") && !this.results.containsKey("a.cold")) {
            return;
        }
        line("## Cold path: the first message to a device");
        line();
        line("One message at a time, nothing else running. Cold: the device is registered but not connected, so "
                + "the request connects (signs, CONNECT, CONNACK) and then publishes.");
        line();
        line("| What | samples | p50 ms | p90 ms | max ms | mean ms | errors |");
        line("|---|---|---|---|---|---|---|");
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        rows.put("gw.cold", "gateway: first message, device not connected (" + Optional
            .ofNullable(this.results.get("gw.cold"))
            .flatMap(cold -> cold.facts.warmUpSwitch)
            .orElse("") + ")");
        rows.put("gw.warm", "gateway: second message to the same devices (connected)");
        rows.put("big.first", "gateway, " + this.options.bigDevices + " devices: "
                + this.results.getOrDefault("big.first", new Result("", "", "")).scenario);
        rows.put("a.cold", "(a) direct Paho: new client, connect + publish");
        rows.put("a.connect1", "(a) direct Paho: new client, connect only");
        rows.put("c.pub", "(c) mosquitto_pub: one process per message (" + this.options.pubConcurrency + " at a time)");
        rows.forEach((id, what) -> {
            Result r = this.results.get(id);
            if (r != null) {
                line(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |", what, r.latencyUs.getTotalCount(),
                        ms(r.ms(50)), ms(r.ms(90)), ms(r.maxMs()), ms(r.meanMs()), errors(r)));
            }
        });
        line();
    }

    private void scale() {
        Result small = this.results.get("gw.connect");
        Result big = this.results.get("big.connect");
        if (small == null && big == null) {
            return;
        }
        line("## Scale: devices connected at once on one gateway");
        line();
        line("Without eager warm-up the devices are connected by one message each ("
                + this.options.connectConcurrency + " requests in flight); with it, by the gateway itself after "
                + "start-up (then the time counts from readiness). RSS and threads are of the gateway JVM "
                + "(`/proc/<pid>/status`: VmRSS, VmHWM, Threads = OS threads).");
        line();
        line("| Gateway | start-up | how connected | time to connect all | devices connected | errors | RSS before | RSS after | peak RSS | threads before | threads after | throughput across all |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        scaleRow(small, this.options.devices, this.results.get("gw.max"));
        scaleRow(big, this.options.bigDevices, this.results.get("big.max"));
        line();
        this.facts.shutdowns.forEach((devices, how) -> line("- Gateway (" + devices + " devices), shutdown: " + how));
        line();
        if (big != null && big.facts.warmUp.isPresent()) {
            line("Warm-up progress of the " + this.options.bigDevices + "-device gateway (devices connected, seconds "
                    + "after readiness; polled once a second): "
                    + String.join(", ", big.facts.warmUp.get().progress()) + ".");
            line();
        }
        this.facts.bigHeap.ifPresent(live -> live.heap().ifPresent(heap -> {
            line("Gateway with " + this.options.bigDevices + " devices, at the end: heap " + String.format("%.0f MiB "
                    + "used of %.0f MiB committed after a full GC", heap.usedKb() / 1024.0, heap.committedKb() / 1024.0)
                    + "; RSS then " + String.format("%.0f MiB", live.rssKb() / 1024.0) + ".");
            line();
        }));
        Result bigMax = this.results.get("big.max");
        if (bigMax != null) {
            line(String.format(Locale.ROOT, "Throughput across all %d devices (closed loop, %d in flight): %.0f msg/s,"
                    + " p50 %s ms, p99 %s ms, errors %s; gateway RSS after %s, peak %s, threads %d.",
                    this.options.bigDevices, this.options.concurrency, bigMax.throughput(), ms(bigMax.ms(50)),
                    ms(bigMax.ms(99)), errors(bigMax), mib(bigMax.serverAfter.rssKb()),
                    mib(bigMax.serverAfter.hwmKb()), bigMax.serverAfter.threads()));
            line();
        }
    }

    /** The time to connect all: the gateway's own warm-up figure when it logged one, else the measured one. */
    private static double connectSeconds(Result connect) {
        return loggedSeconds(connect).orElse(connect.seconds);
    }

    private static Optional<Double> loggedSeconds(Result connect) {
        return connect.facts.warmUp.flatMap(ScenarioFacts.WarmUp::loggedSeconds);
    }

    private void scaleRow(Result connect, int devices, Result load) {
        if (connect == null) {
            return;
        }
        Double seconds = this.facts.startups.get(devices);
        String startup = (seconds != null) ? String.format("%.1f s", seconds) : "?";
        String time = String.format(Locale.ROOT, "%.1f s", connect.seconds);
        if (loggedSeconds(connect).isPresent()) {
            time = String.format(Locale.ROOT, "%.1f s (gateway's log; %.1f s after readiness)", connectSeconds(connect),
                    connect.seconds);
        }
        line(String.format(Locale.ROOT, "| %d devices | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s |", devices,
                startup, cell(connect.facts.mode), time, connectedText(connect),
                errors(connect), mib(connect.serverBefore.rssKb()),
                mib(connect.serverAfter.rssKb()), mib(connect.serverAfter.hwmKb()), connect.serverBefore.threads(),
                connect.serverAfter.threads(),
                (load == null) ? "" : String.format(Locale.ROOT, "%.0f msg/s", load.throughput())));
    }

    private void targets() {
        Options o = this.options;
        line("## Targets of issue 6");
        line();
        line("| Target | Measured | Verdict |");
        line("|---|---|---|");

        Result big = this.results.get("big.connect");
        Result small = this.results.get("gw.connect");
        if (big != null) {
            int connected = big.facts.connectedAfter.orElse(-1);
            long peak = Math.max(big.serverAfter.hwmKb(), maxHwm("big.first", "big.max"));
            int threadsBig = big.serverAfter.threads();
            int threadsSmall = (small != null) ? small.serverAfter.threads() : -1;
            boolean memory = connected >= o.bigDevices && peak > 0 && peak <= GIB_KB;
            boolean threads = threadsSmall > 0 && threadsBig <= threadsSmall + Math.max(20, threadsSmall / 10);
            line(String.format(Locale.ROOT, "| %d devices connected at once, RSS <= 1 GiB, threads not growing with devices "
                    + "| %d of %d connected; RSS %s after connecting, peak %s; OS threads %d with %d devices connected vs "
                    + "%d with %d | %s |", o.bigDevices, connected, o.bigDevices, mib(big.serverAfter.rssKb()), mib(peak),
                    threadsBig, o.bigDevices, threadsSmall, o.devices,
                    verdict(memory && threads, (connected < o.bigDevices ? "only " + connected + " of " + o.bigDevices
                            + " connected within " + Math.round(big.seconds) + " s; " : "")
                            + (peak > GIB_KB ? "peak RSS above 1 GiB; " : "")
                            + (threads ? "" : "threads grow"))));
        }

        Result gw = this.results.get("gw.max");
        Result a = this.results.get("a.max");
        Result b = this.results.get("b.max");
        if (gw != null && a != null && b != null) {
            double ceiling = Math.min(a.throughput(), b.throughput());
            double share = gw.throughput() / ceiling;
            line(String.format(Locale.ROOT, "| QoS 1 throughput across %d devices >= 50%% of min(a, b) | %.0f msg/s = %.0f%% of "
                    + "%.0f msg/s (the lower ceiling, %s)%s | %s |", o.devices, gw.throughput(), share * 100, ceiling,
                    a.throughput() <= b.throughput() ? "(a) Paho direct" : "(b) HTTP ceiling",
                    gw.errorCount() > 0 ? "; " + gw.errorCount() + " errors" : "",
                    o.qos != 1 ? "not checked (QoS " + o.qos + ")" : verdict(share >= 0.5 && gw.errorCount() == 0, "")));
            double estimateShare = estimate(gw) / Math.min(estimate(a), estimate(b));
            line(String.format(Locale.ROOT, "| ... the same from CPU per message (independent of other processes' load) "
                    + "| gateway %.0f µs/msg → %.0f msg/s on %d cores = %.0f%% of min(a %.0f, b %.0f) | %s |",
                    pipelineUs(gw), estimate(gw), CPUS, estimateShare * 100, estimate(a), estimate(b),
                    o.qos != 1 ? "not checked" : verdict(estimateShare >= 0.5, "")));
            line(String.format(Locale.ROOT, "| ... and above 10,000 msg/s if the machine allows | %.0f msg/s; the ceilings "
                    + "on this machine: (a) %.0f, (b) %.0f msg/s | %s |", gw.throughput(), a.throughput(),
                    b.throughput(), gw.throughput() > 10_000 ? "met"
                            : (ceiling < 10_000 ? "not met; the ceilings themselves are below 10,000 msg/s here"
                                    : "not met")));
        }

        List<Double> pairedRatios = pairedRatios();
        if (!pairedRatios.isEmpty() && o.qos == 1) {
            double median = median(pairedRatios);
            line(String.format(Locale.ROOT, "| ... the same measured in turns with (b), both servers up at once | median "
                    + "gateway ÷ (b) over %d round(s): %.0f%% (each: %s) | %s |", pairedRatios.size(), median * 100,
                    pairedRatios.stream().map(r -> String.format(Locale.ROOT, "%.0f%%", r * 100))
                        .collect(Collectors.joining(", ")),
                    verdict(median >= 0.5, "")));
        }

        Result rate = this.results.get("gw.rate");
        if (rate != null) {
            boolean standard = o.rate == 2000 && o.devices == 1000 && o.qos == 1;
            line(String.format(Locale.ROOT, "| p99 <= 10 ms at 2,000 msg/s across 1,000 devices | p99 %s ms (p50 %s, p99.9 %s) "
                    + "at %.0f msg/s achieved of %.0f, %d devices, %d errors | %s |", ms(rate.ms(99)), ms(rate.ms(50)),
                    ms(rate.ms(99.9)), rate.throughput(), o.rate, o.devices, rate.errorCount(),
                    standard ? verdict(rate.ms(99) <= 10 && rate.errorCount() == 0, "")
                            : "not checked (other parameters)"));
        }

        Result cold = this.results.get("gw.cold");
        Result warm = this.results.get("gw.warm");
        Result first = this.results.get("big.first");
        if (cold != null) {
            boolean warming = this.metadata != null && this.metadata.warmUpSwitch().isPresent();
            String measured = String.format(Locale.ROOT, "cold p50 %s ms (max %s); warm p50 %s ms", ms(cold.ms(50)),
                    ms(cold.maxMs()), (warm != null) ? ms(warm.ms(50)) : "?");
            if (first != null) {
                measured += String.format(Locale.ROOT, "; %s with %d devices: p50 %s ms, max %s ms", first.scenario,
                        o.bigDevices, ms(first.ms(50)), ms(first.maxMs()));
            }
            String verdict;
            if (!warming) {
                verdict = "not met: this build has no eager warm-up, the first message to a device pays the connect";
            }
            else {
                // no sampled first message paid for a connect: each took less than half the cold path's median
                verdict = verdict(first != null && first.ok() > 0 && first.maxMs() < cold.ms(50) / 2
                        && first.errorCount() == 0, "a first message after warm-up still paid for a connect");
            }
            line("| Cold path measured; hidden by eager warm-up (on by default) | " + measured + " | " + verdict + " |");
        }

        if (big != null) {
            String rateProperty = (this.metadata != null) ? this.metadata.connectRate().orElse(null) : null;
            if (rateProperty == null) {
                line(String.format(Locale.ROOT, "| Connecting %d devices respects the global connect rate, in the time it "
                        + "implies | %.1f s for %d devices (%s) | not checked: this build has no global connect-rate "
                        + "setting |", o.bigDevices, big.seconds, big.facts.connectedAfter.orElse(-1), big.facts.mode));
            }
            else {
                String value = this.metadata.defaults.get(rateProperty);
                double perSecond = parseRate(value);
                double implied = (perSecond > 0) ? o.bigDevices / perSecond : Double.NaN;
                double measured = connectSeconds(big);
                boolean ok = perSecond > 0 && measured <= implied * 1.2 + 5 && measured >= implied * 0.8
                        && big.facts.connectedAfter.orElse(-1) >= o.bigDevices;
                line(String.format(Locale.ROOT, "| Connecting %d devices respects the global connect rate, in the time it "
                        + "implies | `%s` = %s: %.1f s implied; %.1f s measured (%s), %d connected | %s |",
                        o.bigDevices, rateProperty, value, implied, measured, big.facts.mode,
                        big.facts.connectedAfter.orElse(-1), Double.isNaN(implied) ? "could not read the rate"
                                : verdict(ok, "outside 80-120 % of the implied time")));
            }
        }
        line("| Pool limits (maximum, LRU eviction, idle close, 503 when full) | not a performance figure: the "
                + "gateway's tests cover it | n/a |");
        line();
    }

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    /** CPU µs per accepted message of the server, broker, load generator and its children together. */
    static double pipelineUs(Result r) {
        long total = Math.max(0, r.serverCpuMillis) + Math.max(0, r.brokerCpuMillis) + Math.max(0, r.loadgenCpuMillis)
                + Math.max(0, r.childrenCpuMillis);
        return (r.ok() == 0) ? Double.NaN : total * 1000.0 / r.ok();
    }

    /** msg/s the pipeline would reach on all cores of the machine, were it CPU-bound and alone. */
    static double estimate(Result r) {
        double us = pipelineUs(r);
        return (Double.isNaN(us) || us == 0) ? Double.NaN : CPUS * 1e6 / us;
    }

    private long maxHwm(String... ids) {
        long max = -1;
        for (String id : ids) {
            Result r = this.results.get(id);
            if (r != null) {
                max = Math.max(max, r.serverAfter.hwmKb());
            }
        }
        return max;
    }

    private static double parseRate(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Double.parseDouble(value.replaceAll("[^0-9.]", ""));
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    private static String connectedText(Result connect) {
        OptionalInt connected = connect.facts.connectedAfter;
        return connected.isPresent() ? Integer.toString(connected.getAsInt()) : "?";
    }

    private static String verdict(boolean met, String why) {
        return met ? "**met**" : "**not met**" + (why.isBlank() ? "" : ": " + why.replaceAll("; $", ""));
    }

    private static String label(Result r) {
        return switch (r.id.substring(0, r.id.indexOf('.'))) {
            case "gw" -> "**gateway**";
            case "a" -> "(a) Paho direct, load generator = client";
            case "b" -> "(b) HTTP ceiling (trivial Spring MVC)";
            case "c" -> "(c) mosquitto_pub per message";
            default -> r.system;
        };
    }

    private static String cpu(Result r, long millis) {
        if (millis < 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.0f %% (%.0f µs/msg)", r.cpuPercent(millis), r.cpuUsPerMessage(millis));
    }

    private static String errors(Result r) {
        if (r.errorCount() == 0) {
            return "0";
        }
        return r.errorCount() + " (" + r.errors().entrySet()
            .stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining(", ")) + ")";
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "–";
        }
        double r = a / b;
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
    }

    private static String ms(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String mib(long kb) {
        return (kb < 0) ? "?" : String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
    }

    private static String num(long value) {
        return (value < 0) ? "–" : Long.toString(value);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private void line(String text) {
        this.out.append(text).append('\n');
    }

    private void line() {
        this.out.append('\n');
    }
}
