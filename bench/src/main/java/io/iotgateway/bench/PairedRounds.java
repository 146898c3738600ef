package io.iotgateway.bench;

import java.io.IOException;
import java.util.List;

/**
 * The gateway and the HTTP ceiling (b) up at the same time, measured in turns: the machine's speed drifts by tens
 * of percent over minutes (other tenants of the host), so two servers measured minutes apart may be compared at
 * different speeds. Each round measures (b), then the gateway, over the same window; the report gives each
 * round's ratio and their median. The load is wrk's when installed ({@link RoundGenerator}).
 */
final class PairedRounds {

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
        try (RoundGenerator generator = RoundGenerator.choose(this.rig)) {
            gateway = startConnected(this.rig, "gateway-paired", GatewayProcess.plainJar(o), List.of());
            RoundGenerator.Contender full = contender("gw", "gateway", gateway);
            generator.inTurns("pair.", "paired", List.of(ceiling(this.rig, ceiling), full));
            if (o.asyncProfile) {
                AsyncProfile.record(this.rig, generator, full);
            }
        }
        finally {
            ceiling.stop(this.rig.processes());
            if (gateway != null) {
                this.rig.processes().stop(gateway.child(), GatewayProcess.SHUTDOWN_GRACE);
            }
        }
    }

    /** A gateway with the N devices and its default settings, once its warm-up connected every device. */
    static GatewayProcess startConnected(Rig rig, String name, List<String> jarCommand, List<String> extra)
            throws IOException {
        GatewayProcess gateway = GatewayProcess.start(rig, name, rig.mainDevices(), jarCommand, extra);
        Result warmUp = WarmUpWatch.await(rig, gateway, rig.options().devices, rig.meter(gateway.child().pid()));
        int connected = warmUp.facts.connectedAfter.orElseThrow();
        if (connected < rig.options().devices) {
            rig.processes().stop(gateway.child(), GatewayProcess.SHUTDOWN_GRACE);
            throw new IllegalStateException(name + ": only " + connected + " of " + rig.options().devices
                    + " devices connected");
        }
        return gateway;
    }

    static RoundGenerator.Contender ceiling(Rig rig, HttpCeiling ceiling) {
        return new RoundGenerator.Contender("b", "(b) HTTP ceiling", ceiling.baseUrl(), ceiling.child(),
                rig.meter(ceiling.child().pid()));
    }

    RoundGenerator.Contender contender(String key, String label, GatewayProcess gateway) {
        return new RoundGenerator.Contender(key, label, gateway.baseUrl(), gateway.child(),
                this.rig.meter(gateway.child().pid()));
    }
}
