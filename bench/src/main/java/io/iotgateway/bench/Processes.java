package io.iotgateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The processes a run starts and must stop again, also when it is interrupted: they are listed in a pid file for
 * run.sh's trap, should this JVM be killed outright.
 */
final class Processes {

    private final List<Child> children = new ArrayList<>();

    private final Path pidFile;

    Processes(Path pidFile) {
        this.pidFile = pidFile;
    }

    Child start(String name, List<String> command, Path log, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(dir.toFile());
        long started = System.nanoTime();
        Child child = new Child(name, builder.start(), log, started);
        synchronized (this.children) {
            this.children.add(child);
            writePids();
        }
        return child;
    }

    /** Stops a gateway and says how: the seconds SIGTERM took, or that it had to be killed. */
    String stopDescribed(Child child, Duration grace) {
        boolean alive = child.process().isAlive();
        double seconds = stop(child, grace);
        if (!alive) {
            return "had exited already (code " + child.process().exitValue() + ")";
        }
        int code = child.process().exitValue();
        if (code == 137 || code == 9) {
            return String.format(Locale.ROOT, "did not exit within %d s of SIGTERM: killed", grace.toSeconds());
        }
        return String.format(Locale.ROOT, "%.1f s after SIGTERM (exit code %d)", seconds, code);
    }

    /** SIGTERM, then SIGKILL after the grace period; returns the seconds it took to exit. */
    double stop(Child child, Duration grace) {
        long begin = System.nanoTime();
        Process process = child.process();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    Bench.log("%s did not stop within %d s: killing it", child.name(), grace.toSeconds());
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException ex) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this.children) {
            this.children.remove(child);
            writePids();
        }
        return (System.nanoTime() - begin) / 1e9;
    }

    void stopAll() {
        List<Child> running;
        synchronized (this.children) {
            running = new ArrayList<>(this.children);
        }
        // the gateway first (it disconnects from the broker), the broker last
        running.sort(Comparator.comparing((Child child) -> child.name().equals("mosquitto")));
        for (Child child : running) {
            stop(child, Duration.ofSeconds(20));
        }
    }

    /** CPU used by this JVM and the processes it started (their idle CPU is not the other users' load). */
    long cpuMillis() {
        long total = Math.max(0, ProcStat.self().cpuMillis());
        synchronized (this.children) {
            for (Child child : this.children) {
                total += Math.max(0, ProcStat.read(child.pid()).cpuMillis());
            }
        }
        return total;
    }

    /** Runs a short-lived tool (jcmd, jfr, mosquitto -h) to its end and returns what it printed. */
    static String output(List<String> command, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return "";
        }
    }

    private void writePids() {
        StringBuilder text = new StringBuilder();
        this.children.forEach(child -> text.append(child.pid()).append(' ').append(child.name()).append('\n'));
        try {
            Files.writeString(this.pidFile, text);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
