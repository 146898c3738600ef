package io.iotgateway.bench;

import java.io.IOException;
import java.util.List;

/**
 * Issue 17's ablation: the same gateway jar with one stage of the request path switched off by the bench-only
 * {@code bench/ablation} jar ({@code -Dloader.path}, {@code --bench.ablate=<stage>}), measured in rounds with
 * the HTTP ceiling (b) and the full gateway over the same window: per round (b), full, variant. The full gateway
 * is started the same way without the property, so the two differ only by the stage.
 */
final class Ablation {

    static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private final Rig rig;

    Ablation(Rig rig) {
        this.rig = rig;
    }

    /** The fat jar started by Boot's PropertiesLauncher, with the ablation jar on its class path. */
    static List<String> jarCommand(Options o) {
        return List.of("-cp", o.gatewayJar.toString(), "-Dloader.path=" + o.ablationJar, LAUNCHER);
    }

    /**
     * The variant's arguments. Without Spring Security nobody is authorized to see the health details, where the
     * bench reads the connected devices: the security variant shows them to anyone (not on the request path).
     */
    private static List<String> arguments(String stage) {
        return stage.equals("security")
                ? List.of("--bench.ablate=security", "--management.endpoint.health.show-details=always")
                : List.of("--bench.ablate=" + stage);
    }

    void run() throws IOException {
        Options o = this.rig.options();
        if (o.ablate.isEmpty() || o.pairedRounds <= 0) {
            return;
        }
        HttpCeiling ceiling = HttpCeiling.start(this.rig);
        GatewayProcess full = null;
        try (RoundGenerator generator = RoundGenerator.choose(this.rig)) {
            full = PairedRounds.startConnected(this.rig, "gateway-full", jarCommand(o), List.of());
            for (String stage : o.ablate) {
                try {
                    variant(generator, ceiling, full, stage);
                }
                catch (IOException | RuntimeException ex) {
                    // one variant that does not start says nothing about the others
                    Bench.log("ablation %s failed: %s", stage, ex.getMessage());
                    this.rig.findings().note("Ablation " + stage + " failed: " + ex.getMessage());
                }
            }
        }
        finally {
            ceiling.stop(this.rig.processes());
            if (full != null) {
                this.rig.processes().stop(full.child(), GatewayProcess.SHUTDOWN_GRACE);
            }
        }
    }

    private void variant(RoundGenerator generator, HttpCeiling ceiling, GatewayProcess full, String stage)
            throws IOException {
        GatewayProcess variant = PairedRounds.startConnected(this.rig, "gateway-no-" + stage, jarCommand(this.rig
            .options()), arguments(stage));
        try {
            PairedRounds labels = new PairedRounds(this.rig);
            generator.inTurns("abl." + stage + ".", "ablation " + stage, List.of(PairedRounds.ceiling(this.rig,
                    ceiling), labels.contender("full", "gateway (full)", full),
                    labels.contender("var", "gateway without " + stage, variant)));
        }
        finally {
            // its log says what the stage skipped (bench/ablation logs its counts at shutdown)
            this.rig.processes().stop(variant.child(), GatewayProcess.SHUTDOWN_GRACE);
            String skipped = Bench.readQuietly(variant.child().log()).lines()
                .filter(line -> line.contains("bench.ablate=" + stage))
                .map(line -> line.substring(line.indexOf("bench.ablate=")))
                .reduce((a, b) -> a + "; " + b)
                .orElse("no line of the ablation jar in the log: the stage was NOT switched off");
            this.rig.findings().facts.setup.put("Ablation " + stage, skipped);
        }
    }
}
