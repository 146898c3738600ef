package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One reading of a process from {@code /proc}: CPU time (user + system, from {@code /proc/<pid>/stat}), resident
 * memory now and at its peak ({@code VmRSS}, {@code VmHWM}) and operating-system thread count ({@code Threads},
 * which counts platform threads only: virtual threads are not OS threads).
 *
 * @param cpuMillis utime + stime of the process, in milliseconds
 * @param rssKb VmRSS in KiB
 * @param hwmKb VmHWM (peak RSS) in KiB
 * @param threads OS threads of the process
 */
record ProcStat(long cpuMillis, long childrenCpuMillis, long rssKb, long hwmKb, int threads) {

    static final ProcStat NONE = new ProcStat(-1, -1, -1, -1, -1);

    /** Clock ticks per second of {@code /proc/<pid>/stat}; run.sh passes {@code getconf CLK_TCK}. */
    private static final long CLK_TCK = Long.getLong("bench.clkTck", 100);

    static ProcStat read(long pid) {
        if (pid <= 0) {
            return NONE;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name may hold spaces and parentheses: fields start after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            // field 3 (state) is fields[0]; utime is field 14, stime field 15
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            // cutime + cstime: children already waited for (the mosquitto_pub processes of baseline c)
            long childTicks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            long rss = -1;
            long hwm = -1;
            int threads = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                }
                else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
                else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
            return new ProcStat(ticks * 1000 / CLK_TCK, childTicks * 1000 / CLK_TCK, rss, hwm, threads);
        }
        catch (IOException | RuntimeException ex) {
            return NONE;
        }
    }

    /**
     * CPU time the whole machine spent busy (user, nice, system, irq, softirq, steal over all CPUs, from
     * {@code /proc/stat}), in milliseconds; -1 when unreadable.
     */
    static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            return busy * 1000 / CLK_TCK;
        }
        catch (IOException | RuntimeException ex) {
            return -1;
        }
    }

    /**
     * The processes together (the replicas of a cluster): CPU, memory and threads summed; {@link #NONE} when there
     * are none or one cannot be read, so that a window never counts a part of the servers.
     */
    static ProcStat sum(List<Long> pids) {
        if (pids.isEmpty()) {
            return NONE;
        }
        if (pids.size() == 1) {
            return read(pids.get(0));
        }
        long cpu = 0;
        long children = 0;
        long rss = 0;
        long hwm = 0;
        int threads = 0;
        for (long pid : pids) {
            ProcStat one = read(pid);
            if (!one.present()) {
                return NONE;
            }
            cpu += one.cpuMillis;
            children += one.childrenCpuMillis;
            rss += one.rssKb;
            hwm += one.hwmKb;
            threads += one.threads;
        }
        return new ProcStat(cpu, children, rss, hwm, threads);
    }

    static ProcStat self() {
        return read(ProcessHandle.current().pid());
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    boolean present() {
        return this.cpuMillis >= 0;
    }
}
