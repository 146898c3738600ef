package io.iotgateway.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * The gateway with M devices connected at once: the time to connect them all (its own warm-up when the build has
 * one, else a first message each), the first message after that, memory and threads, throughput across all.
 */
final class ScaleScenarios {

    private final Rig rig;

    private final Options o;

    ScaleScenarios(Rig rig) {
        this.rig = rig;
        this.o = rig.options();
    }

    void run() throws IOException {
        Devices big = this.rig.devices().first(this.o.bigDevices);
        List<String> extra = poolLimit();
        GatewayMetadata metadata = this.rig.metadata();
        Optional<String> warmUp = metadata.warmUpSwitch();
        boolean warming = warmUp.isPresent() && !"false".equals(metadata.defaults.get(warmUp.get()));
        GatewayProcess gateway = GatewayProcess.start(this.rig, "gateway-" + this.o.bigDevices, big, extra);
        try {
            this.rig.findings().facts.startups.put(this.o.bigDevices, gateway.startup());
            Meter meter = this.rig.meter(gateway.child().pid());
            try (HttpTarget target = this.rig.http(gateway.baseUrl(), big)) {
                Result connect = warming ? WarmUpWatch.await(this.rig, gateway, this.o.bigDevices, meter)
                        : connectAll(gateway, target, meter);
                add(connect, gateway);
                add(Load.sequential(new Result("big.first", "gateway",
                        warming ? "first message after warm-up" : "message after connect-all"), target,
                        Rig.sample(this.o.bigDevices, this.o.coldSamples), meter), gateway);
                add(Load.closed(new Result("big.max", "gateway", "max throughput, all devices"), target,
                        this.o.bigDevices, this.o.concurrency, this.o.warmup, this.o.bigDuration, meter), gateway);
            }
            liveHeap(gateway);
            gateway.scrape(this.o.work.resolve("gateway-" + this.o.bigDevices + ".prometheus.txt"));
        }
        finally {
            this.rig.findings().facts.shutdowns.put(this.o.bigDevices, gateway.stop(this.rig.processes()));
        }
    }

    /** Raises the build's pool limit to M where its default is lower, saying so in the notes. */
    private List<String> poolLimit() {
        List<String> extra = new ArrayList<>();
        Optional<String> limit = this.rig.metadata().maxConnections();
        if (limit.isPresent()) {
            String value = this.rig.metadata().defaults.get(limit.get());
            if (value.matches("\\d+") && Long.parseLong(value) < this.o.bigDevices) {
                extra.add("--" + limit.get() + "=" + this.o.bigDevices);
                this.rig.findings().note("The " + this.o.bigDevices + "-device gateway ran with --" + limit.get()
                        + "=" + this.o.bigDevices + " (default " + value + ").");
            }
        }
        return extra;
    }

    /** Without warm-up: one message to each device. */
    private Result connectAll(GatewayProcess gateway, HttpTarget target, Meter meter) {
        ProcStat idle = ProcStat.read(gateway.child().pid());
        Result connect = Load.each(new Result("big.connect", "gateway", "connect all (first message each)"),
                target, IntStream.range(0, this.o.bigDevices).toArray(), this.o.connectConcurrency,
                this.o.connectTimeout, meter);
        connect.serverBefore = idle;
        connect.facts.connectedAfter = OptionalInt.of(gateway.connected());
        return connect;
    }

    private void liveHeap(GatewayProcess gateway) {
        try {
            this.rig.findings().facts.bigHeap = Optional.of(gateway.liveHeap());
        }
        catch (IOException ex) {
            this.rig.findings().note("jcmd failed: " + ex.getMessage());
        }
    }

    private void add(Result result, GatewayProcess gateway) {
        this.rig.findings().add(result, gateway.child());
    }
}
