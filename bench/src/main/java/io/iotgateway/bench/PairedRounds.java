package io.iotgateway.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The gateway and the HTTP ceiling (b) up at the same time, measured in turns: the machine's speed drifts by tens
 * of percent over minutes (other tenants of the host), so two servers measured minutes apart may be compared at
 * different speeds. Each round measures (b), then the gateway, over the same window; the report gives each
 * round's ratio and their median.
 */
final class PairedRounds {

    // unmeasured seconds before each paired round: connections re-established, queues filled
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private final Rig rig;

    PairedRounds(Rig rig) {
        this.rig = rig;
    }

    void run() throws IOException {
        Options o = this.rig.options();
        if (o.pairedRounds <= 0) {
            return;
        }
        HttpCeiling ceiling = HttpCeiling.start(this.rig);
        GatewayProcess gateway = null;
        try {
            gateway = GatewayProcess.start(this.rig, "gateway-paired", this.rig.mainDevices(), List.of());
            Meter gatewayMeter = this.rig.meter(gateway.child().pid());
            Result warmUp = WarmUpWatch.await(this.rig, gateway, o.devices, gatewayMeter);
            int connected = warmUp.facts.connectedAfter.orElseThrow();
            if (connected < o.devices) {
                throw new IllegalStateException("only " + connected + " of " + o.devices + " devices connected");
            }
            rounds(ceiling, gateway, gatewayMeter);
        }
        finally {
            ceiling.stop(this.rig.processes());
            if (gateway != null) {
                this.rig.processes().stop(gateway.child(), GatewayProcess.SHUTDOWN_GRACE);
            }
        }
    }

    private void rounds(HttpCeiling ceiling, GatewayProcess gateway, Meter gatewayMeter) {
        Options o = this.rig.options();
        Meter ceilingMeter = this.rig.meter(ceiling.child().pid());
        try (HttpTarget toCeiling = this.rig.http(ceiling.baseUrl(), this.rig.mainDevices());
                HttpTarget toGateway = this.rig.http(gateway.baseUrl(), this.rig.mainDevices())) {
            this.rig.idle().before("paired warm-up");
            Bench.log("paired: warming both servers up (%d s each)", o.warmup.toSeconds());
            Load.closed(new Result("pair.b.warm", "(b) HTTP ceiling", "paired warm-up"), toCeiling, o.devices,
                    o.concurrency, o.warmup, Duration.ofSeconds(1), ceilingMeter);
            Load.closed(new Result("pair.gw.warm", "gateway", "paired warm-up"), toGateway, o.devices,
                    o.concurrency, o.warmup, Duration.ofSeconds(1), gatewayMeter);
            for (int round = 1; round <= o.pairedRounds; round++) {
                this.rig.findings().add(Load.closed(new Result("pair.b." + round, "(b) HTTP ceiling",
                        "paired round " + round), toCeiling, o.devices, o.concurrency, SETTLE, o.duration,
                        ceilingMeter), ceiling.child());
                this.rig.findings().add(Load.closed(new Result("pair.gw." + round, "gateway",
                        "paired round " + round), toGateway, o.devices, o.concurrency, SETTLE, o.duration,
                        gatewayMeter), gateway.child());
            }
        }
    }
}
