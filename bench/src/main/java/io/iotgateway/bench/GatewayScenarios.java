package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The gateway with N devices and warm-up off: the cold path and the warm path on a sample of devices, connecting
 * the rest by a first message each, then everything connected: max throughput and latency at a fixed rate.
 */
final class GatewayScenarios {

    private final Rig rig;

    private final Options o;

    GatewayScenarios(Rig rig) {
        this.rig = rig;
        this.o = rig.options();
    }

    void run() throws IOException {
        Devices main = this.rig.mainDevices();
        Optional<String> warmUp = this.rig.metadata().warmUpSwitch();
        List<String> extra = new ArrayList<>();
        warmUp.ifPresent(name -> extra.add("--" + name + "=false"));
        Path recording = this.o.work.resolve("gateway-" + this.o.devices + "-max-throughput.jfr");
        GatewayProcess gateway = GatewayProcess.start(this.rig, "gateway-" + this.o.devices, main, extra);
        try {
            this.rig.findings().facts.startups.put(this.o.devices, gateway.startup());
            Meter meter = this.rig.meter(gateway.child().pid());
            ProcStat idle = ProcStat.read(gateway.child().pid());
            try (HttpTarget target = this.rig.http(gateway.baseUrl(), main)) {
                firstMessages(gateway, target, meter, idle,
                        warmUp.map(name -> name + "=false").orElse("none in this build"));
                load(gateway, target, meter, recording);
            }
            gateway.scrape(this.o.work.resolve("gateway-" + this.o.devices + ".prometheus.txt"));
        }
        finally {
            this.rig.findings().facts.shutdowns.put(this.o.devices, gateway.stop(this.rig.processes()));
        }
        if (this.o.profile) {
            profile(recording);
        }
    }

    /** Cold, then warm on the sample; then the other devices connected by a first message each. */
    private void firstMessages(GatewayProcess gateway, HttpTarget target, Meter meter, ProcStat idle,
            String warmUp) {
        int[] sample = Rig.sample(this.o.devices, this.o.coldSamples);
        Result cold = Load.sequential(result("gw.cold", "first message (cold)"), target, sample, meter);
        cold.facts.warmUpSwitch = Optional.of(warmUp);
        add(cold, gateway);
        add(Load.sequential(result("gw.warm", "second message (warm)"), target, sample, meter), gateway);
        Set<Integer> sampled = new HashSet<>();
        Arrays.stream(sample).forEach(sampled::add);
        int[] rest = IntStream.range(0, this.o.devices).filter(i -> !sampled.contains(i)).toArray();
        Result connect = Load.each(result("gw.connect", "connect all (first message each)"), target, rest,
                this.o.connectConcurrency, this.o.connectTimeout, meter);
        connect.serverBefore = idle;
        connect.facts.connectedAfter = OptionalInt.of(gateway.connected());
        add(connect, gateway);
    }

    /** Max throughput (recorded with JFR under --profile), then the fixed rate. */
    private void load(GatewayProcess gateway, HttpTarget target, Meter meter, Path recording) {
        this.rig.idle().before("gateway max throughput");
        if (this.o.profile) {
            // the recording covers the warm-up and the measured window of the max-throughput run only
            jcmd(gateway, "JFR.start", "name=bench", "settings=profile", "filename=" + recording);
        }
        add(Load.closed(result("gw.max", "max throughput"), target, this.o.devices, this.o.concurrency,
                this.o.warmup, this.o.duration, meter), gateway);
        if (this.o.profile) {
            jcmd(gateway, "JFR.stop", "name=bench");
        }
        this.rig.idle().before("gateway fixed rate");
        add(Load.open(result("gw.rate", "fixed rate"), target, this.o.devices, this.o.rate, this.o.rateWarmup,
                this.o.duration, this.o.maxInflight, meter), gateway);
    }

    private void jcmd(GatewayProcess gateway, String... command) {
        try {
            gateway.jcmd(command);
        }
        catch (IOException ex) {
            this.rig.findings().note("jcmd " + String.join(" ", command) + " failed: " + ex.getMessage());
        }
    }

    /** Where the gateway's CPU went in its max-throughput run (JFR execution samples), for the report. */
    private void profile(Path recording) {
        Path jfr = this.o.jdkTool("jfr");
        try {
            String samples = Processes.output(List.of(jfr.toString(), "print", "--events", "jdk.ExecutionSample",
                    "--stack-depth", "200", recording.toString()), Duration.ofSeconds(120));
            this.rig.findings().facts.profile = Optional.of(Profile.of(samples));
            for (String view : List.of("hot-methods", "allocation-by-class", "gc")) {
                Files.writeString(this.o.work.resolve(recording.getFileName() + "." + view + ".txt"),
                        Processes.output(List.of(jfr.toString(), "view", "--width", "180", view, recording.toString()),
                                Duration.ofSeconds(120)));
            }
        }
        catch (IOException ex) {
            this.rig.findings().note("jfr failed: " + ex.getMessage());
        }
    }

    private Result result(String id, String scenario) {
        return new Result(id, "gateway", scenario);
    }

    private void add(Result result, GatewayProcess gateway) {
        this.rig.findings().add(result, gateway.child());
    }
}
