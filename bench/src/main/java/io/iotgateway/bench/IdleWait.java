package io.iotgateway.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The machine may be shared (other builds and test runs): before each part and each main measurement, wait up to
 * {@code --wait-idle} seconds until other processes use less than 15 % of its CPUs, so that they do not take the
 * benchmark's cores. What it waited and found goes into the notes.
 */
final class IdleWait {

    private static final double CALM = 0.15;

    private final Duration limit;

    private final Processes processes;

    private final Findings findings;

    IdleWait(Duration limit, Processes processes, Findings findings) {
        this.limit = limit;
        this.processes = processes;
        this.findings = findings;
    }

    void before(String what) {
        if (this.limit.isZero()) {
            return;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        long deadline = System.nanoTime() + this.limit.toNanos();
        long begin = System.nanoTime();
        boolean said = false;
        while (true) {
            double share = othersShare(cpus);
            double waited = (System.nanoTime() - begin) / 1e9;
            if (share < CALM || System.nanoTime() > deadline) {
                if (waited > 3 || share >= CALM) {
                    this.findings.note(String.format(Locale.ROOT, "Before %s: waited %.0f s for other processes to "
                            + "calm down; they then used %.0f %% of the %d CPUs%s.", what, waited, share * 100, cpus,
                            share >= CALM ? " (gave up waiting: the figures that follow are disturbed)" : ""));
                }
                return;
            }
            if (!said) {
                Bench.log("before %s: other processes use %.0f %% of the %d CPUs; waiting up to %d s for them to calm "
                        + "down", what, share * 100, cpus, this.limit.toSeconds());
                said = true;
            }
        }
    }

    /** The share of all CPUs that processes other than ours used over the next 2 s. */
    private double othersShare(int cpus) {
        long machine = ProcStat.machineBusyMillis();
        long ours = this.processes.cpuMillis();
        Load.sleep(Duration.ofSeconds(2));
        long busy = (ProcStat.machineBusyMillis() - machine) - (this.processes.cpuMillis() - ours);
        return busy / (2000.0 * cpus);
    }
}
