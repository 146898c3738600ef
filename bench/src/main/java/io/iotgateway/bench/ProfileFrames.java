package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The top frames of async-profiler's collapsed stacks ({@code frame;frame;...;leaf count}, {@code _[k]} marks a
 * kernel frame; Java frames are {@code package/Class.method}, the JVM's C++ frames have {@code ::}, C functions are
 * plain), each frame put in a group by where its code comes from. Self: the sample's
 * leaf frame; total: samples with the frame (or the group) anywhere in the stack.
 */
final class ProfileFrames {

    private static final List<String[]> GROUPS = List.of(new String[] { "org.apache.tomcat.", "Tomcat" },
            new String[] { "org.apache.catalina.", "Tomcat" }, new String[] { "org.apache.coyote.", "Tomcat" },
            new String[] { "org.springframework.security.", "Spring Security" },
            new String[] { "org.springframework.integration.", "Spring Integration" },
            new String[] { "org.springframework.messaging.", "Spring Integration" },
            new String[] { "org.springframework.web.", "Spring MVC" },
            new String[] { "org.springframework.http.", "Spring MVC" },
            new String[] { "org.springframework.", "Spring (other)" }, new String[] { "org.eclipse.paho.", "Paho" },
            new String[] { "io.micrometer.", "Micrometer" }, new String[] { "io.iotgateway.", "gateway code" },
            new String[] { "java.", "JDK" }, new String[] { "jdk.", "JDK" }, new String[] { "sun.", "JDK" },
            new String[] { "javax.", "JDK" });

    private final Map<String, Long> selfFrames = new HashMap<>();

    private final Map<String, Long> totalFrames = new HashMap<>();

    private final Map<String, Long> selfGroups = new HashMap<>();

    private final Map<String, Long> totalGroups = new HashMap<>();

    private final Map<String, String> groupOfFrame = new HashMap<>();

    // each sample charged to the innermost frame of a library or the gateway on its stack (JDK, JVM and kernel frames
    // above it are that library's cost), and the part of it spent in the kernel
    private final Map<String, Long> charged = new HashMap<>();

    private final Map<String, Long> chargedKernel = new HashMap<>();

    // kernel samples by the system call they are in (or how the kernel was entered without one: an interrupt)
    private final Map<String, Long> kernelEntries = new HashMap<>();

    private final ProfileLayers layers = new ProfileLayers();

    private long samples;

    static ProfileFrames read(Path collapsed) throws IOException {
        ProfileFrames frames = new ProfileFrames();
        Files.readAllLines(collapsed).forEach(frames::add);
        return frames;
    }

    private void add(String line) {
        int space = line.lastIndexOf(' ');
        if (space <= 0) {
            return;
        }
        long count = Long.parseLong(line.substring(space + 1).trim());
        String[] stack = line.substring(0, space).split(";");
        this.samples += count;
        Set<String> frames = new HashSet<>();
        Set<String> groups = new HashSet<>();
        String jvm = jvmThread(stack);
        for (String raw : stack) {
            this.groupOfFrame.putIfAbsent(name(raw), group(raw, jvm));
            frames.add(name(raw));
            groups.add(group(raw, jvm));
        }
        frames.forEach(frame -> this.totalFrames.merge(frame, count, Long::sum));
        groups.forEach(group -> this.totalGroups.merge(group, count, Long::sum));
        String leaf = stack[stack.length - 1];
        this.layers.add(line.substring(0, space), count, leaf.endsWith("_[k]"));
        String owner = owner(stack, jvm);
        this.charged.merge(owner, count, Long::sum);
        if (leaf.endsWith("_[k]")) {
            this.chargedKernel.merge(owner, count, Long::sum);
            this.kernelEntries.merge(kernelEntry(stack), count, Long::sum);
        }
        this.selfFrames.merge(name(leaf), count, Long::sum);
        this.selfGroups.merge(group(leaf, jvm), count, Long::sum);
    }

    private static String owner(String[] stack, String jvm) {
        for (int i = stack.length - 1; i >= 0; i--) {
            String group = group(stack[i], jvm);
            if (!group.equals("kernel") && !group.equals("JDK") && !group.startsWith("JVM")) {
                return group;
            }
        }
        return jvm.startsWith("JVM: ") ? jvm : "JDK and JVM only (virtual-thread scheduler, timers, other)";
    }

    /** The system call a kernel sample is in (by its kernel frame, else the libc function that made it), or the interrupt. */
    private static String kernelEntry(String[] stack) {
        String caller = null;
        for (int i = 0; i < stack.length; i++) {
            String frame = name(stack[i]);
            if (frame.startsWith("__x64_sys_") || frame.startsWith("ksys_")) {
                return frame.replaceFirst("^(__x64_sys_|ksys_)", "") + " (system call)";
            }
            if (frame.startsWith("entry_SYSCALL_64") && i > 0) {
                caller = name(stack[i - 1]);
            }
        }
        if (caller != null) {
            return "system call from " + caller;
        }
        return Stream.of(stack).filter(frame -> frame.endsWith("_[k]")).findFirst().map(ProfileFrames::name)
            .orElse("?") + " (no system call)";
    }

    /** Prints the Markdown tables of a collapsed file: {@code ProfileFrames <file.collapsed>}. */
    public static void main(String[] args) throws IOException {
        System.out.print(read(Path.of(args[0])).markdown("offline", args[0], args[0]));
    }

    /** The JVM's own work a native frame belongs to, told by the thread's stack: compiling, collecting or other. */
    private static String jvmThread(String[] stack) {
        for (String frame : stack) {
            if (frame.startsWith("CompileBroker::")) {
                return "JVM: JIT compiler";
            }
            if (frame.startsWith("G1") || frame.startsWith("WorkerThread::") || frame.startsWith("ConcurrentGCThread")) {
                return "JVM: GC";
            }
        }
        return "JVM and native (other)";
    }

    private static String group(String raw, String jvm) {
        if (raw.endsWith("_[k]")) {
            return "kernel";
        }
        if (!java(raw)) {
            return jvm;
        }
        String name = name(raw);
        return GROUPS.stream().filter(g -> name.startsWith(g[0])).map(g -> g[1]).findFirst()
            .orElse("other libraries");
    }

    private static String name(String raw) {
        String name = raw.replaceAll("_\\[[kji01]\\]$", "");
        return java(raw) ? name.replace('/', '.') : name;
    }

    // async-profiler writes Java frames as package/Class.method (marked _[j] etc. only in some outputs), C++ frames
    // with "::", C functions plain
    private static boolean java(String raw) {
        return raw.matches(".*_\\[[ji01]\\]$") || (raw.contains("/") && !raw.contains("::") && !raw.contains(" ")
                && !raw.endsWith("_[k]"));
    }

    String markdown(String agentAnswer, String flameName, String flamePath) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d samples (async-profiler `%s`; %s). Flame graph: `%s` in the run's "
                + "folder (%s).%n%n", this.samples, AsyncProfile.OPTIONS, agentAnswer, flameName, flamePath));
        if (!this.selfGroups.containsKey("kernel")) {
            out.append("**No kernel frames**: perf events were not available to the profiler (see perf_event_paranoid), "
                    + "kernel time shows under the frame that entered it.\n\n");
        }
        out.append(this.layers.markdown(this.samples)).append('\n');
        out.append("| Charged to (innermost library frame on the stack) | samples | of which in the kernel |\n|---|---|---|\n");
        sorted(this.charged, 20).forEach((owner, count) -> out.append(String.format(Locale.ROOT, "| %s | %s | %s |%n",
                owner, pct(count), pct(this.chargedKernel.getOrDefault(owner, 0L)))));
        out.append("\n| Kernel samples entered by | samples |\n|---|---|\n");
        sorted(this.kernelEntries, 8).forEach((entry, count) -> out.append(String.format(Locale.ROOT, "| `%s` | %s |%n",
                entry, pct(count))));
        out.append("\n| Group | self | total |\n|---|---|---|\n");
        sorted(this.totalGroups, 20).forEach((group, total) -> out.append(String.format(Locale.ROOT,
                "| %s | %s | %s |%n", group, pct(this.selfGroups.getOrDefault(group, 0L)), pct(total))));
        frameTable(out, "self", this.selfFrames, this.totalFrames, 25);
        // roots (thread starts, the scheduler of virtual threads) would fill the list by total: the libraries' frames
        Map<String, Long> libraryFrames = new HashMap<>(this.totalFrames);
        libraryFrames.keySet().removeIf(frame -> this.groupOfFrame.get(frame).startsWith("JVM")
                || this.groupOfFrame.get(frame).equals("JDK"));
        frameTable(out, "total (libraries and gateway only)", libraryFrames, this.selfFrames, 30);
        return out.toString();
    }

    private void frameTable(StringBuilder out, String by, Map<String, Long> order, Map<String, Long> other,
            int limit) {
        out.append("\n| Top frames by " + by + " | group | self | total |\n|---|---|---|---|\n");
        sorted(order, limit).forEach((frame, count) -> {
            boolean bySelf = by.equals("self");
            long self = bySelf ? count : other.getOrDefault(frame, 0L);
            long total = bySelf ? other.getOrDefault(frame, 0L) : count;
            out.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s |%n", cell(frame),
                    this.groupOfFrame.get(frame), pct(self), pct(total)));
        });
    }

    private static Map<String, Long> sorted(Map<String, Long> counts, int limit) {
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
            .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private String pct(long count) {
        return String.format(Locale.ROOT, "%.1f %%", (this.samples == 0) ? 0.0 : count * 100.0 / this.samples);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
