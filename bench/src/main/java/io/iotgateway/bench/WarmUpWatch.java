package io.iotgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * With eager warm-up the gateway connects its devices by itself: the watch polls its health from readiness until
 * all are connected (or nothing moves for a minute) and notes the progress at every tenth of them.
 */
final class WarmUpWatch {

    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final int count;

    private final int step;

    private final long begin = System.nanoTime();

    private final List<String> progress = new ArrayList<>();

    private int nextMilestone;

    private WarmUpWatch(int count) {
        this.count = count;
        this.step = Math.max(1, count / 10);
        this.nextMilestone = this.step;
    }

    static Result await(Rig rig, GatewayProcess gateway, int count, Meter meter) {
        Result result = new Result("big.connect", "gateway", "warm-up connects all");
        Meter.Snapshot before = meter.snapshot();
        WarmUpWatch watch = new WarmUpWatch(count);
        int connected = watch.poll(gateway, watch.begin + rig.options().connectTimeout.toNanos());
        result.seconds = (System.nanoTime() - watch.begin) / 1e9;
        meter.finish(result, before);
        result.facts.mode = "eager warm-up, measured from readiness";
        result.facts.connectedAfter = OptionalInt.of(connected);
        result.addOk(Math.max(0, connected));
        result.facts.warmUp = Optional.of(new ScenarioFacts.WarmUp(List.copyOf(watch.progress),
                gateway.startup() + result.seconds, gateway.loggedWarmUp()));
        return result;
    }

    /** Polls until all are connected, nothing moved for a minute or the deadline passed; returns the last count. */
    private int poll(GatewayProcess gateway, long deadline) {
        int connected = 0;
        int last = -1;
        long lastProgress = this.begin;
        while (System.nanoTime() < deadline) {
            connected = gateway.connected();
            long now = System.nanoTime();
            if (connected != last) {
                last = connected;
                lastProgress = now;
            }
            while (connected >= this.nextMilestone && this.nextMilestone <= this.count) {
                this.progress.add(String.format(Locale.ROOT, "%d at %.0f s", this.nextMilestone, (now - this.begin) / 1e9));
                this.nextMilestone += this.step;
            }
            if (connected >= this.count || now - lastProgress > STALLED_NANOS) {
                break;
            }
            // the health check walks every connection: once a second keeps its cost small
            Load.sleep(Duration.ofSeconds(1));
        }
        return connected;
    }
}
