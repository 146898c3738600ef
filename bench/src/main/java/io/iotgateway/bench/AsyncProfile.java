package io.iotgateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code --async-profile}: one more wrk round of the paired rounds' full gateway, recorded by async-profiler in CPU
 * mode (perf events: kernel, JVM and Java frames in one stack; Maven Central's {@code tools.profiler:async-profiler}
 * carries the native library). Loaded into the running gateway with {@code jcmd JVMTI.agent_load}, so the gateway is
 * started exactly as in the rounds. Writes a flame graph and the collapsed stacks into the run's folder and the top
 * frames, grouped by {@link ProfileFrames}, into the report.
 */
final class AsyncProfile {

    // 10 ms (the profiler's default): at 1 ms with VM stack walking the profiled round ran at half the throughput
    static final String OPTIONS = "event=cpu,interval=10ms,ann";

    private AsyncProfile() {
    }

    static void record(Rig rig, RoundGenerator generator, RoundGenerator.Contender gateway) throws IOException {
        Options o = rig.options();
        Path library = extractLibrary(o.tmp);
        Path collapsed = o.work.resolve("async-profile-gateway.collapsed");
        Path flame = o.work.resolve("async-profile-gateway.html");
        rig.idle().before("async-profiler round");
        String started = agent(o, gateway, library, "start," + OPTIONS);
        Bench.log("async-profiler: %s", started.strip().replace('\n', ' '));
        if (!started.contains("return code: 0")) {
            throw new IllegalStateException("async-profiler did not start: " + started.strip());
        }
        Result round = generator.measure(new Result("pair.gw.profiled", "gateway", "paired, async-profiler round"),
                gateway, o.duration);
        agent(o, gateway, library, "dump,collapsed,file=" + collapsed);
        agent(o, gateway, library, "stop,flamegraph,file=" + flame);
        rig.findings().add(round, gateway.child());
        ProfileFrames frames = ProfileFrames.read(collapsed);
        rig.findings().facts.asyncProfile = Optional.of(frames.markdown(Bench.readQuietly(gateway.child().log()).contains("Profiling started") ? "started"
                : "no confirmation in the gateway's log", o.work.relativize(flame)
            .toString(), flame.toString()));
    }

    private static String agent(Options o, RoundGenerator.Contender gateway, Path library, String command)
            throws IOException {
        return Processes.output(List.of(o.jdkTool("jcmd").toString(), Long.toString(gateway.child().pid()),
                // quoted: jcmd's parser would otherwise read "start,event=cpu,..." as a name=value pair
                "JVMTI.agent_load", library.toString(), "\"" + command + "\""), Duration.ofSeconds(60));
    }

    /** libasyncProfiler.so for linux-x64 out of the async-profiler jar on the bench's class path. */
    private static Path extractLibrary(Path tmp) throws IOException {
        String jar = Stream.of(System.getProperty("java.class.path").split(":"))
            .filter(entry -> entry.contains("async-profiler"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("tools.profiler:async-profiler is not on the class path"));
        Path library = tmp.resolve("libasyncProfiler.so");
        try (JarFile file = new JarFile(jar); InputStream in = file.getInputStream(file.getEntry(
                "linux-x64/libasyncProfiler.so"))) {
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        }
        return library;
    }
}
