package io.iotgateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's sections of issue 17: the ablation rounds (each stage switched off, against the full gateway in the
 * same round) and async-profiler's top frames of the full gateway.
 */
final class AblationReport {

    private final Options options;

    private final Findings findings;

    private final StringBuilder out = new StringBuilder();

    AblationReport(Options options, Findings findings) {
        this.options = options;
        this.findings = findings;
    }

    String markdown() {
        if (!this.options.ablate.isEmpty() && this.findings.results.containsKey("abl." + this.options.ablate.get(0)
                + ".var.1")) {
            ablation();
        }
        this.findings.facts.asyncProfile.ifPresent(profile -> {
            line("## Where the full gateway's CPU went in a wrk round (async-profiler)");
            line();
            profile.lines().forEach(this::line);
            line();
        });
        return this.out.toString();
    }

    private void ablation() {
        line("## Ablation: the same jar with one stage switched off (issue 17)");
        line();
        line("Per round, over the same window: (b), the full gateway, the variant (bench/ablation, `--bench.ablate=`"
                + "<stage>). Generator: " + this.findings.facts.setup.getOrDefault("Paired-round generator", "?")
                + ". CPU µs/msg = the server's CPU time ÷ its successful requests; Δ = variant − full in the same "
                + "round. A round with errors is marked ⚠.");
        line();
        line("| Stage off | round | (b) msg/s | full msg/s | variant msg/s | variant ÷ full | (b) µs/msg | full µs/msg "
                + "| variant µs/msg | Δ µs/msg | full p99 ms | variant p99 ms | broker µs/msg full → variant |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String stage : this.options.ablate) {
            List<Double> deltas = new ArrayList<>();
            for (int round = 1; this.findings.results.containsKey(id(stage, "var", round)); round++) {
                deltas.add(row(stage, round));
            }
            if (!deltas.isEmpty()) {
                line(String.format(Locale.ROOT, "| **%s** | median | | | | | | | | **%+.0f** | | | |", stage,
                        median(deltas)));
            }
        }
        line();
        this.findings.facts.setup.entrySet().stream().filter(e -> e.getKey().startsWith("Ablation "))
            .forEach(e -> line("- " + e.getKey() + ", its log at shutdown: `" + e.getValue() + "`"));
        line();
    }

    private double row(String stage, int round) {
        Map<String, Result> r = this.findings.results;
        Result b = r.get(id(stage, "b", round));
        Result full = r.get(id(stage, "full", round));
        Result variant = r.get(id(stage, "var", round));
        double delta = us(variant, variant.serverCpuMillis) - us(full, full.serverCpuMillis);
        line(String.format(Locale.ROOT, "| %s | %d%s | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %.0f | %+.0f | %.1f "
                + "| %.1f | %.0f → %.0f |", stage, round, marked(b, full, variant), b.throughput(), full.throughput(),
                variant.throughput(), variant.throughput() / full.throughput(), us(b, b.serverCpuMillis),
                us(full, full.serverCpuMillis), us(variant, variant.serverCpuMillis), delta, full.ms(99),
                variant.ms(99), us(full, full.brokerCpuMillis), us(variant, variant.brokerCpuMillis)));
        return delta;
    }

    private static String marked(Result... results) {
        for (Result result : results) {
            if (result.errorCount() > 0) {
                return " ⚠ " + result.system + ": " + result.errors();
            }
        }
        return "";
    }

    private static String id(String stage, String key, int round) {
        return "abl." + stage + "." + key + "." + round;
    }

    private static double us(Result r, long cpuMillis) {
        return r.cpuUsPerMessage(cpuMillis);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void line(String text) {
        this.out.append(text).append('\n');
    }

    private void line() {
        this.out.append('\n');
    }
}
