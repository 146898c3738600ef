package io.iotgateway.bench;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Facts about the whole run, for the report: the setup table, each gateway's command line, start-up and
 * shutdown, the profile of the max-throughput run and the big gateway's heap.
 */
final class RunFacts {

    /** When the run began. */
    Optional<LocalDateTime> date = Optional.empty();

    /** The setup table's rows by label; the report has its own order of the labels. */
    final Map<String, String> setup = new LinkedHashMap<>();

    /** Each gateway's command line by its name, in the order they started. */
    final Map<String, String> gatewayCommands = new LinkedHashMap<>();

    /** Seconds from process start to readiness, by the gateway's number of devices. */
    final Map<Integer, Double> startups = new LinkedHashMap<>();

    /** How each gateway stopped, by its number of devices, in the order they stopped. */
    final Map<Integer, String> shutdowns = new LinkedHashMap<>();

    /** Where the N-device gateway's CPU went in its max-throughput run (--profile). */
    Optional<Profile> profile = Optional.empty();

    /** The full gateway's top frames in async-profiler's round of the paired rounds (--async-profile), Markdown. */
    Optional<String> asyncProfile = Optional.empty();

    /**
     * The replicas scenario (issue 15), by cluster size: how the devices spread over the replicas once the cluster
     * had settled, e.g. "r1 498, r2 502 connected, 6.2 s after the last replica was ready".
     */
    final Map<Integer, String> clusterSpread = new LinkedHashMap<>();

    /** The M-device gateway's memory at the end, after a full GC. */
    Optional<GatewayProcess.LiveHeap> bigHeap = Optional.empty();
}
