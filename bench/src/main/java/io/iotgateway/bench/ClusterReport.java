package io.iotgateway.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The report's section of issue 15's replicas scenario ({@link ClusterScenarios}): each round of each cluster size
 * next to the plain gateway measured in the same round, the medians by size, and what clustering and forwarding cost
 * per message, from differences to the plain gateway of the same round (the machine's speed drifts over minutes).
 */
final class ClusterReport {

    private final Options options;

    private final Findings findings;

    private final Map<String, Result> results;

    private final StringBuilder out = new StringBuilder();

    ClusterReport(Options options, Findings findings) {
        this.options = options;
        this.findings = findings;
        this.results = findings.results;
    }

    String markdown() {
        List<Integer> sizes = this.options.replicas.stream()
            .filter(size -> this.results.containsKey(id(size, 1)))
            .toList();
        if (sizes.isEmpty()) {
            return "";
        }
        Options o = this.options;
        line("## Several replicas (issue 15)");
        line();
        line(String.format(Locale.ROOT, "One cluster on a shared PostgreSQL registry, grown through %s replicas (each "
                + "its own process on this machine, sharing its CPUs), measured in turns with the plain gateway (no "
                + "cluster, its own %d devices) over the same windows: per round the plain gateway, then the cluster, "
                + "%d s each after a %d s warm-up of each new cluster size. QoS %d, %d devices, %d-byte payload, "
                + "closed loop, %d requests in flight spread over the replicas. Generator: %s. CPU µs/msg = the CPU "
                + "time of all the cluster's replica processes (utime + stime) ÷ its successful requests. Forwarded = "
                + "the share of the requests the replica they reached forwarded to the device's owner (the replicas' "
                + "`gateway.cluster.forwarded` counters). Per-device QoS 1 rate limit raised to 1,000/s for every "
                + "gateway of the part.", sizes, o.devices, o.duration.toSeconds(), o.warmup.toSeconds(), o.qos,
                o.devices, o.payload, o.concurrency,
                this.findings.facts.setup.getOrDefault("Replicas generator", "?")));
        line();
        line("| Replicas | round | plain msg/s | cluster msg/s | cluster ÷ plain | plain µs/msg | cluster µs/msg | "
                + "cluster − plain µs/msg | forwarded | plain p50 / p99 ms | cluster p50 / p99 ms | broker µs/msg "
                + "plain / cluster | generator µs/msg plain / cluster | errors | other processes' CPU plain / cluster |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int size : sizes) {
            for (int round = 1; this.results.containsKey(id(size, round)); round++) {
                Result plain = this.results.get(plainId(size, round));
                Result cluster = this.results.get(id(size, round));
                line(String.format(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.2f | %.0f | %.0f | %+.0f | %s | %.1f / %.1f "
                        + "| %.1f / %.1f | %.0f / %.0f | %.0f / %.0f | %s | %s / %s |", size, round, plain.throughput(),
                        cluster.throughput(), cluster.throughput() / plain.throughput(), serverUs(plain),
                        serverUs(cluster), serverUs(cluster) - serverUs(plain), percent(forwardedShare(cluster)),
                        plain.ms(50), plain.ms(99), cluster.ms(50), cluster.ms(99),
                        plain.cpuUsPerMessage(plain.brokerCpuMillis), cluster.cpuUsPerMessage(cluster.brokerCpuMillis),
                        generatorUs(plain), generatorUs(cluster), errors(plain, cluster), cpu(plain), cpu(cluster)));
            }
        }
        line();
        summary(sizes);
        threads(sizes);
        return this.out.toString();
    }

    /** Medians by size, then the costs derived from the differences to the plain gateway. */
    private void summary(List<Integer> sizes) {
        line("Medians over the rounds (the ratios and differences are per round, to the plain gateway of the same "
                + "round):");
        line();
        line("| Replicas | devices connected per replica | msg/s | ÷ plain | CPU µs/msg, all replicas | − plain µs/msg | "
                + "÷ plain CPU | p50 ms | p99 ms | forwarded |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        List<Result> allPlain = new ArrayList<>();
        sizes.forEach(size -> allPlain.addAll(rounds(size, true)));
        line(String.format(Locale.ROOT, "| plain gateway (no cluster) | %d | %.0f | 1 | %.0f | 0 | 1 | %.1f | %.1f | "
                + "0 |", this.options.devices, median(allPlain, Result::throughput), median(allPlain, ClusterReport::serverUs),
                median(allPlain, r -> r.ms(50)), median(allPlain, r -> r.ms(99))));
        for (int size : sizes) {
            List<Result> cluster = rounds(size, false);
            line(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.0f | %+.0f | %.2f | %.1f | %.1f | %s |", size,
                    this.findings.facts.clusterSpread.getOrDefault(size, "?"), median(cluster, Result::throughput),
                    pairedMedian(size, (c, p) -> c.throughput() / p.throughput()),
                    median(cluster, ClusterReport::serverUs), delta(size),
                    pairedMedian(size, (c, p) -> serverUs(c) / serverUs(p)), median(cluster, r -> r.ms(50)),
                    median(cluster, r -> r.ms(99)), percent(median(cluster, ClusterReport::forwardedShare))));
        }
        line();
        boolean single = sizes.contains(1);
        if (single) {
            line(String.format(Locale.ROOT, "- Clustering itself (1 replica, nothing forwarded, against the plain "
                    + "gateway): %+.0f µs of CPU per message.", delta(1)));
        }
        for (int size : sizes) {
            if (size == 1) {
                continue;
            }
            double share = median(rounds(size, false), ClusterReport::forwardedShare);
            double extra = single ? delta(size) - delta(1) : delta(size);
            double extraCompiled = single ? compiledDelta(size) - compiledDelta(1) : compiledDelta(size);
            line(String.format(Locale.ROOT, "- %d replicas: %.0f %% of the requests forwarded; %+.0f µs per message "
                    + "over %s, so about **%.0f µs of CPU per forwarded message** (the extra HTTP hop: the forwarding "
                    + "replica's request and client, the owner's second request); without the JIT compiler's "
                    + "threads %+.0f µs per message, %.0f µs per forwarded one.", size, share * 100, extra,
                    single ? "the 1-replica cluster" : "the plain gateway (no 1-replica figure in this run)",
                    extra / share, extraCompiled, extraCompiled / share));
        }
        Result paho = this.results.get("a.max");
        if (paho != null) {
            line(String.format(Locale.ROOT, "- (a) direct Paho in this run (measured earlier, not in the same rounds): "
                    + "%.0f µs of the client's CPU per QoS %d publish, plus %.0f µs of mosquitto's, at %.0f msg/s.",
                    paho.cpuUsPerMessage(paho.loadgenCpuMillis), this.options.qos,
                    paho.cpuUsPerMessage(paho.brokerCpuMillis), paho.throughput()));
        }
        line();
    }

    /** Where the servers' CPU went, by thread group: µs per message, medians over the rounds of each size. */
    private void threads(List<Integer> sizes) {
        List<String> columns = new ArrayList<>(List.of("plain"));
        List<List<Result>> rounds = new ArrayList<>();
        List<Result> allPlain = new ArrayList<>();
        sizes.forEach(size -> allPlain.addAll(rounds(size, true)));
        rounds.add(allPlain);
        for (int size : sizes) {
            columns.add(size + " replica" + ((size > 1) ? "s" : ""));
            rounds.add(rounds(size, false));
        }
        Set<String> groups = new TreeSet<>();
        rounds.forEach(list -> list.forEach(r -> groups.addAll(r.facts.threadCpu.keySet())));
        if (groups.isEmpty()) {
            return;
        }
        List<Result> largest = rounds.getLast();
        List<String> shown = groups.stream()
            .filter(group -> rounds.stream().anyMatch(list -> median(list, r -> threadUs(r, group)) >= 5))
            .sorted(Comparator.comparingDouble((String group) -> -median(largest, r -> threadUs(r, group))))
            .toList();
        line("Where the servers' CPU went, by thread group (the thread's name without its numbers, from "
                + "`/proc/<pid>/task`, summed over the replicas): µs per message, medians over the rounds; groups "
                + "under 5 µs/msg everywhere left out. `C1 CompilerThre` and `C2 CompilerThre` are the JIT "
                + "compiler, still at work in a replica that joined " + this.options.warmup.toSeconds()
                + " s before.");
        line();
        line("| Thread group | " + String.join(" | ", columns) + " |");
        line("|---|" + "---|".repeat(columns.size()));
        for (String group : shown) {
            line("| `" + group + "` | " + rounds.stream()
                .map(list -> String.format(Locale.ROOT, "%.0f", median(list, r -> threadUs(r, group))))
                .collect(Collectors.joining(" | ")) + " |");
        }
        line("| all threads read | " + rounds.stream()
            .map(list -> String.format(Locale.ROOT, "%.0f", median(list, r -> r.cpuUsPerMessage(
                    r.facts.threadCpu.values().stream().mapToLong(Long::longValue).sum()))))
            .collect(Collectors.joining(" | ")) + " |");
        line("| the processes' CPU (utime + stime) | " + rounds.stream()
            .map(list -> String.format(Locale.ROOT, "%.0f", median(list, ClusterReport::serverUs)))
            .collect(Collectors.joining(" | ")) + " |");
        line();
    }

    private static double threadUs(Result r, String group) {
        return r.cpuUsPerMessage(r.facts.threadCpu.getOrDefault(group, 0L));
    }

    private interface Pair {
        double of(Result cluster, Result plain);
    }

    /** The median over the rounds of cluster − plain CPU µs/msg, both without the JIT compiler's threads. */
    private double compiledDelta(int size) {
        return pairedMedian(size, (c, p) -> (serverUs(c) - compilerUs(c)) - (serverUs(p) - compilerUs(p)));
    }

    /** The JIT compiler threads' CPU per message. */
    private static double compilerUs(Result r) {
        return r.cpuUsPerMessage(r.facts.threadCpu.entrySet().stream()
            .filter(group -> group.getKey().matches("C[12] Comp.*"))
            .mapToLong(Map.Entry::getValue)
            .sum());
    }

    /** The median over the rounds of cluster − plain CPU µs/msg. */
    private double delta(int size) {
        return pairedMedian(size, (c, p) -> serverUs(c) - serverUs(p));
    }

    private double pairedMedian(int size, Pair pair) {
        List<Double> values = new ArrayList<>();
        for (int round = 1; this.results.containsKey(id(size, round)); round++) {
            values.add(pair.of(this.results.get(id(size, round)), this.results.get(plainId(size, round))));
        }
        return AblationReport.median(values);
    }

    private List<Result> rounds(int size, boolean plain) {
        List<Result> rounds = new ArrayList<>();
        for (int round = 1; this.results.containsKey(id(size, round)); round++) {
            rounds.add(this.results.get(plain ? plainId(size, round) : id(size, round)));
        }
        return rounds;
    }

    private static double median(List<Result> rounds, ToDoubleFunction<Result> figure) {
        return rounds.isEmpty() ? Double.NaN
                : AblationReport.median(rounds.stream().map(figure::applyAsDouble).toList());
    }

    private static double forwardedShare(Result r) {
        return r.facts.forwarded.map(forwarded -> (r.ok() > 0) ? (double) forwarded.answered() / r.ok() : Double.NaN)
            .orElse(0.0);
    }

    private static double serverUs(Result r) {
        return r.cpuUsPerMessage(r.serverCpuMillis);
    }

    private static double generatorUs(Result r) {
        return r.cpuUsPerMessage(Math.max(0, r.loadgenCpuMillis) + Math.max(0, r.childrenCpuMillis));
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "?" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static String cpu(Result r) {
        double percent = r.cpuPercent(r.otherCpuMillis);
        return Double.isNaN(percent) ? "–" : String.format(Locale.ROOT, "%.0f %%", percent);
    }

    private static String errors(Result plain, Result cluster) {
        long failed = cluster.facts.forwarded.map(ScenarioFacts.Forwarded::failed).orElse(0L);
        if (plain.errorCount() + cluster.errorCount() + failed == 0) {
            return "0";
        }
        return "⚠ " + plain.errors() + " / " + cluster.errors() + ((failed > 0) ? ", " + failed + " forwards failed"
                : "");
    }

    private static String id(int size, int round) {
        return "cl." + size + "." + round;
    }

    private static String plainId(int size, int round) {
        return "cl.plain." + size + "." + round;
    }

    private void line(String text) {
        this.out.append(text).append('\n');
    }

    private void line() {
        this.out.append('\n');
    }
}
