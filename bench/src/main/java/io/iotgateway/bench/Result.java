package io.iotgateway.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one scenario measured: messages accepted, errors by kind, latency of the accepted messages (microseconds),
 * the measured window, and the CPU time of the server, the broker and the load generator in that window.
 */
final class Result {

    final String id;

    final String system;

    final String scenario;

    final Histogram latencyUs = new ConcurrentHistogram(3);

    private final LongAdder ok = new LongAdder();

    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    /** Length of the measured window (or of the whole run of a one-shot scenario). */
    double seconds;

    long serverCpuMillis = -1;

    long brokerCpuMillis = -1;

    long loadgenCpuMillis = -1;

    /** CPU of the load generator's children that ended in the window (the mosquitto_pub processes). */
    long childrenCpuMillis = -1;

    /** CPU of every other process on the machine in the window (other users' builds disturb the figures). */
    long otherCpuMillis = -1;

    ProcStat serverBefore = ProcStat.NONE;

    ProcStat serverAfter = ProcStat.NONE;

    final ScenarioFacts facts = new ScenarioFacts();

    /** Latency as an external generator (wrk) measured it, when the histogram is empty. */
    java.util.Optional<Wrk.Summary> external = java.util.Optional.empty();

    Result(String id, String system, String scenario) {
        this.id = id;
        this.system = system;
        this.scenario = scenario;
    }

    void record(String error, long nanos) {
        if (error == null) {
            this.ok.increment();
            this.latencyUs.recordValue(Math.max(1, nanos / 1000));
        }
        else {
            this.errors.computeIfAbsent(error, key -> new LongAdder()).increment();
        }
    }

    /** Counts errors an external generator (wrk) counted. */
    void addErrors(String error, long count) {
        if (count > 0) {
            this.errors.computeIfAbsent(error, key -> new LongAdder()).add(count);
        }
    }

    /** Counts accepted work that has no latency of its own (devices connected by the gateway's warm-up). */
    void addOk(long count) {
        this.ok.add(count);
    }

    long ok() {
        return this.ok.sum();
    }

    long errorCount() {
        return this.errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errors() {
        Map<String, Long> sorted = new TreeMap<>();
        this.errors.forEach((key, count) -> sorted.put(key, count.sum()));
        return sorted;
    }

    double throughput() {
        return (this.seconds > 0) ? ok() / this.seconds : 0;
    }

    /** Latency percentile in milliseconds; NaN when nothing succeeded. */
    double ms(double percentile) {
        if (this.latencyUs.getTotalCount() == 0) {
            return this.external.map(wrk -> wrk.ms(percentile)).orElse(Double.NaN);
        }
        return this.latencyUs.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMs() {
        return (this.latencyUs.getTotalCount() == 0) ? ms(100) : this.latencyUs.getMaxValue() / 1000.0;
    }

    double meanMs() {
        return (this.latencyUs.getTotalCount() == 0) ? Double.NaN : this.latencyUs.getMean() / 1000.0;
    }

    /** CPU microseconds per accepted message of a process, or NaN. */
    double cpuUsPerMessage(long cpuMillis) {
        return (cpuMillis < 0 || ok() == 0) ? Double.NaN : cpuMillis * 1000.0 / ok();
    }

    /** CPU of a process over the window as a share of one core (100 % = one core busy). */
    double cpuPercent(long cpuMillis) {
        return (cpuMillis < 0 || this.seconds <= 0) ? Double.NaN : cpuMillis / (this.seconds * 10.0);
    }

    String summary() {
        return String.format("%-28s %-34s ok=%d err=%d %.1fs %.0f msg/s p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.1fms"
                + " cpu[server=%dms broker=%dms loadgen=%dms other=%dms]%s", this.system, this.scenario, ok(),
                errorCount(), this.seconds, throughput(), ms(50), ms(99), ms(99.9), maxMs(), this.serverCpuMillis,
                this.brokerCpuMillis, this.loadgenCpuMillis, this.otherCpuMillis,
                errors().isEmpty() ? "" : " errors=" + errors());
    }
}
