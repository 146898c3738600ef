package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The load of the paired and ablation rounds: {@code wrk} when installed (issue 17: it leaves the servers more of
 * the two cores), else, or with {@code --generator java}, the Java closed loop of {@link Load}. Servers are measured
 * in turns over the same window (see {@link PairedRounds}).
 */
final class RoundGenerator implements AutoCloseable {

    // unmeasured seconds before each round of the Java generator: connections re-established, queues filled
    private static final Duration SETTLE = Duration.ofSeconds(3);

    /** A server measured in the rounds: its key in the result ids, its label in the report, its process. */
    record Contender(String key, String label, String baseUrl, Child child, Meter meter) {
    }

    private final Rig rig;

    private final Optional<Path> wrk;

    private final Map<String, HttpTarget> javaTargets = new HashMap<>();

    // servers warmed up already (the ceiling and the full gateway stay up across the ablation's variants)
    private final Set<String> warm = new HashSet<>();

    private RoundGenerator(Rig rig, Optional<Path> wrk) {
        this.rig = rig;
        this.wrk = wrk;
    }

    static RoundGenerator choose(Rig rig) {
        String asked = rig.options().generator;
        Optional<Path> wrk = asked.equals("java") ? Optional.empty() : Wrk.find();
        if (wrk.isEmpty() && !asked.equals("java")) {
            if (asked.equals("wrk")) {
                throw new IllegalStateException("--generator wrk, but no wrk on the PATH (apt-get install wrk)");
            }
            rig.findings().note("wrk is not installed (apt-get install wrk): the paired rounds ran with the Java "
                    + "generator, whose own CPU per request is about the HTTP ceiling's.");
        }
        RoundGenerator generator = new RoundGenerator(rig, wrk);
        rig.findings().facts.setup.put("Paired-round generator", generator.describe());
        return generator;
    }

    String describe() {
        Options o = this.rig.options();
        return this.wrk.map(path -> "wrk (" + path + ", bench/wrk/post.lua) -t " + o.wrkThreads + " -c "
                + o.concurrency + ", not pinned").orElse("Java HttpClient closed loop, " + o.concurrency
                        + " in flight");
    }

    /**
     * Warms every contender not warmed yet up for {@code --warmup}, then measures them in turn, {@code --paired} rounds; results
     * are {@code <prefix><key>.<round>}.
     */
    void inTurns(String prefix, String scenario, List<Contender> contenders) throws IOException {
        Options o = this.rig.options();
        this.rig.idle().before(scenario + " warm-up");
        for (Contender c : contenders) {
            if (!this.warm.add(c.baseUrl())) {
                continue;
            }
            Bench.log("%s: warming %s up (%d s)", scenario, c.label(), o.warmup.toSeconds());
            measure(new Result(prefix + c.key() + ".warm", c.label(), scenario + " warm-up"), c, o.warmup);
        }
        for (int round = 1; round <= o.pairedRounds; round++) {
            for (Contender c : contenders) {
                Result result = measure(new Result(prefix + c.key() + "." + round, c.label(),
                        scenario + ", round " + round), c, o.duration);
                this.rig.findings().add(result, c.child());
            }
        }
    }

    /** One measured window of load against the contender. */
    Result measure(Result result, Contender c, Duration window) throws IOException {
        if (this.wrk.isPresent()) {
            return Wrk.run(this.rig, this.wrk.get(), result, c.baseUrl(), window, c.meter());
        }
        HttpTarget target = this.javaTargets.computeIfAbsent(c.baseUrl(),
                url -> this.rig.http(url, this.rig.mainDevices()));
        Options o = this.rig.options();
        return Load.closed(result, target, o.devices, o.concurrency, SETTLE, window, c.meter());
    }

    @Override
    public void close() {
        this.javaTargets.values().forEach(HttpTarget::close);
    }
}
