package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code wrk} (Debian's package) as the load generator of the paired rounds: a C program that costs far less CPU
 * per request than {@code HttpClient}, so the servers' own costs show (issue 17). It runs {@code bench/wrk/post.lua}
 * over keep-alive connections; its CPU is the load generator's children's CPU in the {@link Meter}. wrk measures
 * latency itself (from when a request is written, so at a fixed rate it would hide a stall: only for closed loops).
 */
final class Wrk {

    static final Path SCRIPT = Path.of("bench", "wrk", "post.lua");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Wrk() {
    }

    /** What wrk's {@code done()} printed for one run; latencies in microseconds. */
    record Summary(long requests, long durationUs, long non2xx, long connect, long read, long write, long timeout,
            long p50Us, long p90Us, long p99Us, long maxUs) {

        static Summary parse(JsonNode json) {
            return new Summary(json.get("requests").asLong(), json.get("duration_us").asLong(),
                    json.get("non2xx").asLong(), json.get("connect").asLong(), json.get("read").asLong(),
                    json.get("write").asLong(), json.get("timeout").asLong(), json.get("p50_us").asLong(),
                    json.get("p90_us").asLong(), json.get("p99_us").asLong(), json.get("max_us").asLong());
        }

        /** The percentile in milliseconds, for those wrk reports (50, 90, 99, 100); NaN for the others. */
        double ms(double percentile) {
            long us = (percentile == 50) ? this.p50Us : (percentile == 90) ? this.p90Us
                    : (percentile == 99) ? this.p99Us : (percentile == 100) ? this.maxUs : -1;
            return (us < 0) ? Double.NaN : us / 1000.0;
        }
    }

    /** The wrk on the PATH, if any. */
    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":"))
            .map(dir -> Path.of(dir, "wrk"))
            .filter(Files::isExecutable)
            .findFirst();
    }

    /**
     * One closed-loop run of {@code measure} against {@code baseUrl}; the meter reads the servers over wrk's whole
     * process, whose connects take milliseconds. A response of 400 or more (wrk's "non-2xx") is an error.
     */
    static Result run(Rig rig, Path wrk, Result result, String baseUrl, Duration measure, Meter meter)
            throws IOException {
        Options o = rig.options();
        List<String> command = new ArrayList<>(List.of(wrk.toString(), "-t", Integer.toString(o.wrkThreads), "-c",
                Integer.toString(o.concurrency), "-d", Math.max(1, Math.round(measure.toMillis() / 1000.0)) + "s", "--timeout", "30s", "-s",
                SCRIPT.toAbsolutePath().toString(), baseUrl, "--", rig.devices().productKey(),
                Integer.toString(o.devices), Integer.toString(o.qos), rig.payload().file().toString(),
                Integer.toString(o.wrkThreads)));
        Meter.Snapshot before = meter.snapshot();
        String out = Processes.output(command, measure.plusSeconds(60));
        meter.finish(result, before);
        Files.writeString(o.work.resolve("wrk.log"), "# " + result.id + ": " + String.join(" ", command) + "\n" + out,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Summary summary = Summary.parse(JSON.readTree(lastLine(out, result.id)));
        result.seconds = summary.durationUs() / 1e6;
        result.addOk(summary.requests() - summary.non2xx());
        result.addErrors("HTTP >= 400", summary.non2xx());
        result.addErrors("connect", summary.connect());
        result.addErrors("read", summary.read());
        result.addErrors("write", summary.write());
        result.addErrors("timeout", summary.timeout());
        result.external = Optional.of(summary);
        result.facts.mode = "wrk -t" + o.wrkThreads + " -c" + o.concurrency;
        return result;
    }

    /**
     * One closed-loop window spread over several servers (the replicas of a cluster, issue 15): a wrk process per
     * server, started together for the same seconds, the {@code --concurrency} connections and the
     * {@code --wrk-threads} threads split between them (at least one thread each), all threads starting at different
     * devices. Requests and errors are summed; the latencies are merged from each process's quantiles, weighted
     * by its requests. The meter reads the servers over the processes' whole run.
     *
     * @param productKey the devices' product key (the names are the run's {@code dev00001...})
     */
    static Result spread(Rig rig, Path wrk, Result result, List<String> baseUrls, String productKey,
            Duration measure, Meter meter) throws IOException {
        Options o = rig.options();
        int servers = baseUrls.size();
        int threads = Math.max(1, o.wrkThreads / servers);
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            int connections = Math.max(threads, o.concurrency / servers + ((i < o.concurrency % servers) ? 1 : 0));
            commands.add(List.of(wrk.toString(), "-t", Integer.toString(threads), "-c", Integer.toString(connections),
                    "-d", Math.max(1, Math.round(measure.toMillis() / 1000.0)) + "s", "--timeout", "30s", "-s",
                    SCRIPT.toAbsolutePath().toString(), baseUrls.get(i), "--", productKey,
                    Integer.toString(o.devices), Integer.toString(o.qos), rig.payload().file().toString(),
                    Integer.toString(threads), Integer.toString(i * threads), Integer.toString(servers * threads)));
        }
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        Meter.Snapshot before = meter.snapshot();
        try {
            for (int i = 0; i < servers; i++) {
                Path output = Files.createTempFile(o.tmp, "wrk-", ".out");
                outputs.add(output);
                ProcessBuilder builder = new ProcessBuilder(commands.get(i)).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
                builder.environment().put("BENCH_WRK_QUANTILES", "1");
                processes.add(builder.start());
            }
            for (Process process : processes) {
                if (!process.waitFor(measure.plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in " + result.id);
        }
        finally {
            processes.forEach(Process::destroyForcibly);
        }
        meter.finish(result, before);
        List<Summary> summaries = new ArrayList<>();
        List<long[]> quantiles = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            String out = Files.readString(outputs.get(i));
            Files.delete(outputs.get(i));
            Files.writeString(o.work.resolve("wrk.log"), "# " + result.id + " (" + (i + 1) + " of " + servers + "): "
                    + String.join(" ", commands.get(i)) + "\n" + out, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            JsonNode json = JSON.readTree(lastLine(out, result.id));
            summaries.add(Summary.parse(json));
            long[] points = new long[json.path("q").size()];
            for (int p = 0; p < points.length; p++) {
                points[p] = json.path("q").get(p).asLong();
            }
            quantiles.add(points);
        }
        Summary merged = merge(summaries, quantiles);
        result.seconds = merged.durationUs() / 1e6;
        result.addOk(merged.requests() - merged.non2xx());
        result.addErrors("HTTP >= 400", merged.non2xx());
        result.addErrors("connect", merged.connect());
        result.addErrors("read", merged.read());
        result.addErrors("write", merged.write());
        result.addErrors("timeout", merged.timeout());
        result.external = Optional.of(merged);
        result.facts.mode = servers + " × wrk -t" + threads + " -c" + (o.concurrency / servers) + (servers > 1
                ? " (one per server, " + o.concurrency + " connections in all)" : "");
        return result;
    }

    /**
     * The processes' figures as one: counts summed, the mean duration, and p50, p90, p99 from their quantiles (the
     * latency at every tenth of a percent), each point weighted by its process's share of the requests.
     */
    static Summary merge(List<Summary> summaries, List<long[]> quantiles) {
        if (summaries.size() == 1) {
            return summaries.getFirst();
        }
        long requests = summaries.stream().mapToLong(Summary::requests).sum();
        List<double[]> weighted = new ArrayList<>();
        for (int i = 0; i < summaries.size(); i++) {
            long[] points = quantiles.get(i);
            for (long point : points) {
                weighted.add(new double[] { point, (double) summaries.get(i).requests() / points.length });
            }
        }
        weighted.sort((a, b) -> Double.compare(a[0], b[0]));
        double total = weighted.stream().mapToDouble(point -> point[1]).sum();
        return new Summary(requests,
                Math.round(summaries.stream().mapToLong(Summary::durationUs).average().orElse(0)),
                summaries.stream().mapToLong(Summary::non2xx).sum(), summaries.stream().mapToLong(Summary::connect).sum(),
                summaries.stream().mapToLong(Summary::read).sum(), summaries.stream().mapToLong(Summary::write).sum(),
                summaries.stream().mapToLong(Summary::timeout).sum(), percentile(weighted, total, 50),
                percentile(weighted, total, 90), percentile(weighted, total, 99),
                summaries.stream().mapToLong(Summary::maxUs).max().orElse(0));
    }

    private static long percentile(List<double[]> weighted, double total, double percentile) {
        double rank = total * percentile / 100;
        double seen = 0;
        for (double[] point : weighted) {
            seen += point[1];
            if (seen >= rank) {
                return (long) point[0];
            }
        }
        return weighted.isEmpty() ? 0 : (long) weighted.getLast()[0];
    }

    private static String lastLine(String out, String id) {
        return out.lines()
            .filter(line -> line.startsWith("{\"requests\""))
            .reduce((first, second) -> second)
            .orElseThrow(() -> new IllegalStateException("wrk printed no summary in " + id + ": " + out.strip()));
    }
}
