package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    private static String lastLine(String out, String id) {
        return out.lines()
            .filter(line -> line.startsWith("{\"requests\""))
            .reduce((first, second) -> second)
            .orElseThrow(() -> new IllegalStateException("wrk printed no summary in " + id + ": " + out.strip()));
    }
}
