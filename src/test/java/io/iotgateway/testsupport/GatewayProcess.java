package io.iotgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The packaged gateway jar as its own JVM on a free loopback port, for tests of what only a real start and stop
 * show (nested-jar class loading, SIGTERM, SIGKILL, a frozen process). Its output goes to a log file; on trouble,
 * {@link #dumpThreads} keeps its threads next to it. Secrets go in its environment ({@code GATEWAY_REGISTRY_MASTERKEY}
 * and the like), never on its command line, which {@code ps} shows and a failure message repeats.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;

    private final Path log;

    private final int port;

    private final GatewayHttpClient http;

    // a test JVM that ends without closing (a timeout, ^C) leaves no gateway behind holding its ports
    private final Thread killOnExit;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.http = new GatewayHttpClient(port);
        this.killOnExit = new Thread(process::destroyForcibly, "gateway-process-kill-" + process.pid());
        Runtime.getRuntime().addShutdownHook(this.killOnExit);
    }

    /**
     * Starts {@code java <jvmOptions> -jar <jar> --server.port=<free> <arguments>}, with this JVM's {@code java}.
     */
    public static GatewayProcess start(Path jar, List<String> jvmOptions, List<String> arguments, Path log) {
        return start(jar, freePort(), jvmOptions, arguments, Map.of(), log);
    }

    /**
     * Starts {@code java <jvmOptions> -jar <jar> --server.port=<port> <arguments>} with these variables added to
     * its environment (the place for secrets), its output appended to {@code log} (a restart keeps the earlier run).
     */
    public static GatewayProcess start(Path jar, int port, List<String> jvmOptions, List<String> arguments,
            Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>();
        command.add(javaTool("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            return new GatewayProcess(builder.start(), port, log);
        }
        catch (IOException ex) {
            // the command line only: the environment may hold secrets
            throw new UncheckedIOException("Cannot start " + command, ex);
        }
    }

    public long pid() {
        return this.process.pid();
    }

    public boolean isAlive() {
        return this.process.isAlive();
    }

    public Path log() {
        return this.log;
    }

    /** The HTTP port it was started on. */
    public int port() {
        return this.port;
    }

    /** Plain HTTP to its port. */
    public GatewayHttpClient http() {
        return this.http;
    }

    /** The status of {@code GET path}, or -1 when nothing answers (yet) within two seconds. */
    public int get(String path) {
        return status(() -> this.http.withTimeout(Duration.ofSeconds(2)).get(path));
    }

    /** The status of {@code POST path} with a text body, or -1 when nothing answers within 20 seconds. */
    public int post(String path, String body) {
        return status(() -> this.http.withTimeout(Duration.ofSeconds(20)).post(path, null, body));
    }

    /** Sends SIGTERM and waits at most {@code timeout} for the process to end. */
    public boolean terminate(Duration timeout) {
        this.process.destroy();
        return waitForExit(timeout);
    }

    /** Sends SIGKILL, as a crash or the OOM killer would, and waits at most {@code timeout} for the end. */
    public boolean kill(Duration timeout) {
        this.process.destroyForcibly();
        return waitForExit(timeout);
    }

    /**
     * Sends SIGSTOP: the process keeps its sockets open but answers nothing, neither HTTP nor its peers, as a
     * member cut off by a partition or stuck in a long pause.
     */
    public void freeze() {
        signal("STOP");
    }

    /** Sends SIGCONT to a {@link #freeze() frozen} process. */
    public void thaw() {
        signal("CONT");
    }

    /** Waits at most {@code timeout} for the process to end. */
    public boolean waitForExit(Duration timeout) {
        try {
            return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitValue() {
        return this.process.exitValue();
    }

    /**
     * Writes the threads of the running gateway next to its log, each jcmd bounded: {@code Thread.print -l} (the
     * platform threads with their locks, and each virtual thread mounted on a carrier) and
     * {@code Thread.dump_to_file} (every thread, virtual ones included). Returns the files.
     */
    public List<Path> dumpThreads(String name) {
        Path print = this.log.resolveSibling(name + "-thread-print.txt");
        jcmd(print, "Thread.print", "-l");
        Path all = this.log.resolveSibling(name + "-threads.txt");
        jcmd(this.log.resolveSibling(name + "-threads-jcmd.txt"), "Thread.dump_to_file", "-overwrite",
                "-format=text", all.toString());
        return List.of(print, all);
    }

    /** The last lines of the log, for a failure message. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(this.log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException ex) {
            return "(log unreadable: " + ex + ")";
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        this.process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
        try {
            Runtime.getRuntime().removeShutdownHook(this.killOnExit);
        }
        catch (IllegalStateException ex) {
            // already shutting down: the hook kills the process anyway
        }
    }

    private void signal(String signal) {
        List<String> command = List.of("kill", "-" + signal, Long.toString(pid()));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException(command + " failed: " + output);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run " + command, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal, ex);
        }
    }

    /** Runs jcmd against the gateway, its output to the file; a jcmd that hangs is killed and noted there. */
    private void jcmd(Path output, String... command) {
        List<String> line = new ArrayList<>(List.of(javaTool("jcmd"), Long.toString(pid())));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!jcmd.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                jcmd.destroyForcibly();
                Files.writeString(output, "\n(jcmd did not finish within " + JCMD_TIMEOUT + ")\n",
                        StandardOpenOption.APPEND);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run " + line, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static int status(Supplier<HttpResponse<String>> exchange) {
        try {
            return exchange.get().statusCode();
        }
        catch (UncheckedIOException ex) {
            return -1;
        }
    }

    private static String javaTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** A loopback port free right now, for a process to listen on. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
