package io.iotgateway.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * When the slow requests of an open-loop run were due, grouped into windows with wall-clock times, so that a
 * latency tail can be laid next to the servers' GC logs and recordings: one stall of the machine or of a server
 * shows as one window of many slow requests, a steady overload as slow requests spread over the whole run.
 */
final class SlowRequests {

    static final long THRESHOLD_MS = 20;

    /** Slow requests due less than this apart belong to one window. */
    private static final long GAP_NANOS = 100_000_000L;

    private static final int WINDOWS_SHOWN = 6;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final long startNanos;

    private final long startEpochNanos;

    private final ConcurrentLinkedQueue<long[]> slow = new ConcurrentLinkedQueue<>();

    SlowRequests(long startNanos) {
        this.startNanos = startNanos;
        Instant now = Instant.now();
        long nanosSinceStart = System.nanoTime() - startNanos;
        this.startEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - nanosSinceStart;
    }

    void record(long dueNanos, long latencyNanos) {
        if (latencyNanos > THRESHOLD_MS * 1_000_000L) {
            this.slow.add(new long[] { dueNanos, latencyNanos });
        }
    }

    /** E.g. "312 in 3 windows: 18:40:01.120 for 410 ms (205, worst 452 ms), ..." (the largest windows first). */
    Optional<String> describe() {
        List<long[]> requests = new ArrayList<>(this.slow);
        if (requests.isEmpty()) {
            return Optional.empty();
        }
        requests.sort((a, b) -> Long.compare(a[0], b[0]));
        // window: first due, last due, count, worst latency
        List<long[]> windows = new ArrayList<>();
        long[] window = null;
        for (long[] request : requests) {
            if (window == null || request[0] - window[1] > GAP_NANOS) {
                window = new long[] { request[0], request[0], 0, 0 };
                windows.add(window);
            }
            window[1] = request[0];
            window[2]++;
            window[3] = Math.max(window[3], request[1]);
        }
        List<long[]> largest = new ArrayList<>(windows);
        largest.sort((a, b) -> Long.compare(b[2], a[2]));
        StringBuilder text = new StringBuilder().append(requests.size()).append(" in ").append(windows.size())
            .append(windows.size() == 1 ? " window: " : " windows: ");
        for (int i = 0; i < Math.min(WINDOWS_SHOWN, largest.size()); i++) {
            long[] w = largest.get(i);
            Instant at = Instant.ofEpochSecond(0, this.startEpochNanos + (w[0] - this.startNanos));
            text.append(i == 0 ? "" : ", ").append(CLOCK.format(at)).append(" for ")
                .append((w[1] - w[0]) / 1_000_000).append(" ms (").append(w[2]).append(", worst ")
                .append(w[3] / 1_000_000).append(" ms)");
        }
        if (largest.size() > WINDOWS_SHOWN) {
            text.append(", ...");
        }
        return Optional.of(text.toString());
    }
}
