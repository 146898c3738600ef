package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The CPU time of the threads of some processes, summed by thread group, read from {@code /proc/<pid>/task/*}: a
 * group is the thread's name (at most 15 characters there) without the numbers that tell the threads of a group
 * apart, e.g. {@code C2 CompilerThre} for the JIT compiler threads, {@code ForkJoinPool} for the virtual threads'
 * carriers, {@code HttpClient-Wo} for the JDK client's workers, {@code hz.iot-gateway} for Hazelcast's. Says where
 * a cluster's extra CPU goes (issue 15), and how much of a window the JIT compiler still took.
 */
final class ThreadCpu {

    private static final long CLK_TCK = Long.getLong("bench.clkTck", 100);

    private ThreadCpu() {
    }

    /** Milliseconds of CPU by group, over the processes' threads alive now (threads that ended are not counted). */
    static Map<String, Long> read(List<Long> pids) {
        Map<String, Long> groups = new HashMap<>();
        for (long pid : pids) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                tasks.forEach(task -> add(task, groups));
            }
            catch (IOException | RuntimeException ex) {
                // the process is gone: the window's figures say so elsewhere
            }
        }
        return groups;
    }

    private static void add(Path task, Map<String, Long> groups) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            long millis = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / CLK_TCK;
            groups.merge(group(name), millis, Long::sum);
        }
        catch (IOException | RuntimeException ex) {
            // the thread ended meanwhile
        }
    }

    static String group(String threadName) {
        // the numbers that tell threads of a group apart (a "C2" or "G1" of the name itself stays)
        String group = threadName.replaceAll("(?<=[-#_. ])[0-9]+|[0-9]+$", "")
            .replaceAll("[-#_. ]{2,}", "-")
            .replaceAll("[-#_. ]+$", "");
        return group.isEmpty() ? threadName : group;
    }

    /** What each group spent between the two readings; groups of threads that started meanwhile count in full. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((group, millis) -> {
            long spent = millis - before.getOrDefault(group, 0L);
            if (spent > 0) {
                delta.put(group, spent);
            }
        });
        return delta;
    }
}
