package io.iotgateway.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Facts about the run for the report's setup table: the build, the machine, the software, the JVM flags. */
final class Setup {

    private Setup() {
    }

    /** Notes the facts, then measures the machine's scheduling gaps (after waiting for it to be idle). */
    static void describe(Options o, RunFacts run, IdleWait idle) {
        run.date = Optional.of(LocalDateTime.now().withNano(0));
        Map<String, String> rows = run.setup;
        rows.put("Gateway build", o.commit);
        rows.put("Gateway jar", o.gatewayJar.toString());
        rows.put("CPU", Runtime.getRuntime().availableProcessors() + " x " + cpuModel());
        rows.put("Memory", memTotal());
        rows.put("Kernel", Bench.readQuietly(Path.of("/proc/sys/kernel/osrelease")).trim());
        rows.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        rows.put("Broker", brokerVersion(o).trim());
        rows.put("Open files limit", readLimit());
        rows.put("Server JVM flags (gateway and HTTP ceiling)", String.join(" ", o.serverJvm));
        rows.put("Load generator JVM flags",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        idle.before("the scheduling-gap check");
        Bench.log("measuring the machine's scheduling gaps");
        rows.put("Scheduling gaps", SchedulingGaps.measure(o.quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5)));
    }

    private static String brokerVersion(Options o) {
        try {
            return Processes.output(List.of(o.mosquitto, "-h"), Duration.ofSeconds(5)).lines().findFirst().orElse("");
        }
        catch (IOException ex) {
            return "unknown: " + ex.getMessage();
        }
    }

    private static String cpuModel() {
        return Bench.readQuietly(Path.of("/proc/cpuinfo")).lines()
            .filter(line -> line.startsWith("model name"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("unknown CPU");
    }

    private static String memTotal() {
        return Bench.readQuietly(Path.of("/proc/meminfo")).lines()
            .filter(line -> line.startsWith("MemTotal"))
            .map(line -> String.format("%.1f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0))
            .findFirst()
            .orElse("unknown");
    }

    private static String readLimit() {
        return Bench.readQuietly(Path.of("/proc/self/limits")).lines()
            .filter(line -> line.startsWith("Max open files"))
            .map(line -> line.replaceAll("\\s+", " ").replace("Max open files ", "").replace(" files", ""))
            .findFirst()
            .orElse("unknown");
    }
}
