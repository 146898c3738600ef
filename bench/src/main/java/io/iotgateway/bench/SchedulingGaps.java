package io.iotgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How smoothly the machine runs threads, measured before anything else starts: one, then as many threads as
 * there are CPUs, each spinning on the clock and counting the gaps longer than 1 ms in which it did not run.
 * On a quiet machine with a CPU to spare a spinning thread is hardly ever stopped; when every CPU is busy, other
 * processes, kernel threads and the hypervisor take their time from ours, and a request that is running then
 * waits as long. A fixed-rate latency tail shorter than these gaps cannot be measured here.
 */
final class SchedulingGaps {

    private static final long GAP_NANOS = 1_000_000;

    private SchedulingGaps() {
    }

    /** E.g. "1 busy thread: 2 gaps > 1 ms, 3 ms in all (0.0 % of their time), longest 2 ms; 2 busy threads: ...". */
    static String measure(Duration each) {
        int cpus = Runtime.getRuntime().availableProcessors();
        List<String> parts = new ArrayList<>();
        parts.add(describe(1, spin(1, each), each));
        if (cpus > 1) {
            parts.add(describe(cpus, spin(cpus, each), each));
        }
        return String.join("; ", parts) + " (" + each.toSeconds() + " s each)";
    }

    private static String describe(int threads, long[] gaps, Duration each) {
        double share = 100.0 * gaps[1] / (each.toNanos() * (double) threads);
        return String.format(Locale.ROOT, "%d busy thread%s: %d gaps > 1 ms, %d ms in all (%.1f %% of their time), "
                + "longest %d ms", threads, threads == 1 ? "" : "s", gaps[0], gaps[1] / 1_000_000, share,
                gaps[2] / 1_000_000);
    }

    /** Count, total and longest gap (ns) over all threads. */
    private static long[] spin(int threads, Duration each) {
        long[][] perThread = new long[threads][3];
        List<Thread> started = new ArrayList<>();
        long end = System.nanoTime() + each.toNanos();
        for (int i = 0; i < threads; i++) {
            long[] gaps = perThread[i];
            started.add(Thread.ofPlatform().name("scheduling-gaps-" + i).start(() -> {
                long last = System.nanoTime();
                while (last < end) {
                    long now = System.nanoTime();
                    long gap = now - last;
                    if (gap > GAP_NANOS) {
                        gaps[0]++;
                        gaps[1] += gap;
                        gaps[2] = Math.max(gaps[2], gap);
                    }
                    last = now;
                }
            }));
        }
        for (Thread thread : started) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long[] total = new long[3];
        for (long[] gaps : perThread) {
            total[0] += gaps[0];
            total[1] += gaps[1];
            total[2] = Math.max(total[2], gaps[2]);
        }
        return total;
    }
}
