package io.iotgateway.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What a scenario noted besides its figures. The mode has its own column in the report; the others are listed
 * as "label: value" where present, in the order of their labels.
 */
final class ScenarioFacts {

    /** How the load was applied, e.g. "closed loop, 64 concurrent". */
    String mode = "";

    /** Open loop: requests still running when it stopped waiting for them. */
    OptionalInt unfinished = OptionalInt.empty();

    /** Open loop: messages the pacer sent more than 1 ms after they were due. */
    long pacerLate;

    /** Open loop: when its slow requests were due ({@link SlowRequests#describe}); empty when none were slow. */
    Optional<String> slowWindows = Optional.empty();

    /** Once per device: messages not sent before the timeout. */
    int notSent;

    /** Once per device: answers 503 with Retry-After that were retried. */
    long retries;

    /** The load generator's own GC pauses in the measured window; empty when there were none. */
    Optional<GcPauses.Window> gcPauses = Optional.empty();

    /** The cold path: how the gateway's warm-up was switched off, or that the build has none. */
    Optional<String> warmUpSwitch = Optional.empty();

    /** Devices the gateway reported connected at the end of the scenario, -1 when it did not answer. */
    OptionalInt connectedAfter = OptionalInt.empty();

    /** The gateway's own warm-up, watched from its readiness. */
    Optional<WarmUp> warmUp = Optional.empty();

    /**
     * @param progress devices connected at each tenth, e.g. "100 at 1 s"
     * @param fromProcessStart seconds from the start of the gateway's process to the end of its warm-up
     * @param logged the warm-up as the gateway logged it
     */
    record WarmUp(List<String> progress, double fromProcessStart, Optional<GatewayProcess.WarmUpLogged> logged) {

        /** The gateway's logged figure in tenths of a second, as the report prints (and has always compared) it. */
        Optional<Double> loggedSeconds() {
            return this.logged.map(line -> Math.round(line.millis() / 100.0) / 10.0);
        }
    }

    /** The servers' CPU in the window by thread group ({@link ThreadCpu}), in milliseconds; empty when not read. */
    Map<String, Long> threadCpu = Map.of();

    /** A cluster's window: requests its replicas forwarded to the devices' owners (issue 15); empty elsewhere. */
    Optional<Forwarded> forwarded = Optional.empty();

    /**
     * What the replicas' {@code gateway.cluster.forwarded} counters moved by in a window, summed over the replicas.
     *
     * @param answered forwarded and answered by the owner (whatever its status)
     * @param failed forwarded but answered 503 {@code owner-unavailable} or 504 {@code owner-timeout} by the replica
     * that forwarded
     */
    record Forwarded(long answered, long failed) {
    }

    /** The facts other than the mode, by label. */
    Map<String, String> listed() {
        Map<String, String> listed = new TreeMap<>();
        this.unfinished.ifPresent(unfinished -> listed.put("unfinished", Integer.toString(unfinished)));
        if (this.pacerLate > 0) {
            listed.put("pacer late >1ms", Long.toString(this.pacerLate));
        }
        this.slowWindows.ifPresent(windows -> listed.put("slow (>" + SlowRequests.THRESHOLD_MS + " ms) by when due",
                windows));
        if (this.notSent > 0) {
            listed.put("not sent (timeout)", Integer.toString(this.notSent));
        }
        if (this.retries > 0) {
            listed.put("retried after 503 + Retry-After", Long.toString(this.retries));
        }
        this.gcPauses.ifPresent(pauses -> listed.put("load generator GC pauses", pauses.count() + ", "
                + pauses.totalMillis() + " ms in all, longest " + pauses.longestMillis() + " ms"));
        this.warmUpSwitch.ifPresent(warmUpSwitch -> listed.put("warm-up", warmUpSwitch));
        this.connectedAfter.ifPresent(connected -> listed.put("connected after", Integer.toString(connected)));
        this.warmUp.ifPresent(warmUp -> listWarmUp(warmUp, listed));
        this.forwarded.ifPresent(forwarded -> listed.put("forwarded to the owner", forwarded.answered()
                + ((forwarded.failed() > 0) ? " (" + forwarded.failed() + " failed)" : "")));
        return listed;
    }

    private static void listWarmUp(WarmUp warmUp, Map<String, String> listed) {
        listed.put("progress (connected, after readiness)", String.join(", ", warmUp.progress()));
        listed.put("from process start", String.format("%.1f s", warmUp.fromProcessStart()));
        warmUp.logged().ifPresent(logged -> {
            listed.put("gateway log", logged.line());
            listed.put("warm-up seconds (gateway log)", String.format(Locale.ROOT, "%.1f", logged.millis() / 1000.0));
        });
    }
}
