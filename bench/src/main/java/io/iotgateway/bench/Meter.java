package io.iotgateway.bench;

import java.util.List;
import java.util.Optional;

/**
 * Reads the servers under test (a gateway, the HTTP ceiling, or every replica of a cluster), the broker and the
 * load generator itself at the start and the end of a measured window, and puts the differences into the
 * {@link Result}.
 *
 * @param serverPids the processes that answer the load, their CPU summed; empty when the load generator talks to
 * the broker itself
 * @param brokerPid mosquitto
 */
record Meter(List<Long> serverPids, long brokerPid) {

    /** @param serverPid the process that answers the load, or 0 when the load generator talks to the broker itself */
    Meter(long serverPid, long brokerPid) {
        this((serverPid > 0) ? List.of(serverPid) : List.of(), brokerPid);
    }

    record Snapshot(ProcStat server, ProcStat broker, ProcStat self, long machineBusyMillis, long nanos) {
    }

    Snapshot snapshot() {
        return new Snapshot(ProcStat.sum(this.serverPids), ProcStat.read(this.brokerPid), ProcStat.self(),
                ProcStat.machineBusyMillis(), System.nanoTime());
    }

    void finish(Result result, Snapshot start) {
        Snapshot end = snapshot();
        result.serverBefore = start.server();
        result.serverAfter = end.server();
        result.serverCpuMillis = delta(start.server(), end.server());
        result.brokerCpuMillis = delta(start.broker(), end.broker());
        result.loadgenCpuMillis = delta(start.self(), end.self());
        result.childrenCpuMillis = (start.self().present() && end.self().present())
                ? end.self().childrenCpuMillis() - start.self().childrenCpuMillis() : -1;
        if (start.machineBusyMillis() >= 0 && end.machineBusyMillis() >= 0) {
            long machine = end.machineBusyMillis() - start.machineBusyMillis();
            long ours = Math.max(0, result.serverCpuMillis) + Math.max(0, result.brokerCpuMillis)
                    + Math.max(0, result.loadgenCpuMillis) + Math.max(0, result.childrenCpuMillis);
            result.otherCpuMillis = Math.max(0, machine - ours);
        }
        GcPauses.Window pauses = GcPauses.since(start.nanos());
        if (pauses.count() > 0) {
            result.facts.gcPauses = Optional.of(pauses);
        }
    }

    private static long delta(ProcStat start, ProcStat end) {
        return (start.present() && end.present()) ? end.cpuMillis() - start.cpuMillis() : -1;
    }
}
