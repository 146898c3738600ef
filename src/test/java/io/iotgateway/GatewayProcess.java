package io.iotgateway;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.iotgateway.testsupport.GatewayHttpClient;

/**
 * The packaged gateway jar as its own JVM on a free loopback port, for tests of what only a real start and stop
 * show (nested-jar class loading, SIGTERM). Its output goes to a log file; on trouble, {@link #dumpThreads} keeps
 * its threads next to it.
 */
final class GatewayProcess implements AutoCloseable {

    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;

    private final Path log;

    private final GatewayHttpClient http;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.log = log;
        this.http = new GatewayHttpClient(port);
    }

    /**
     * Starts {@code java <jvmOptions> -jar <jar> --server.port=<free> <arguments>}, with this JVM's {@code java}.
     */
    static GatewayProcess start(Path jar, List<String> jvmOptions, List<String> arguments, Path log) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(javaTool("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            return new GatewayProcess(process, port, log);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start " + command, ex);
        }
    }

    long pid() {
        return this.process.pid();
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    Path log() {
        return this.log;
    }

    /** The status of {@code GET path}, or -1 when nothing answers (yet) within two seconds. */
    int get(String path) {
        return status(() -> this.http.withTimeout(Duration.ofSeconds(2)).get(path));
    }

    /** The status of {@code POST path} with a text body, or -1 when nothing answers within 20 seconds. */
    int post(String path, String body) {
        return status(() -> this.http.withTimeout(Duration.ofSeconds(20)).post(path, null, body));
    }

    /** Sends SIGTERM and waits at most {@code timeout} for the process to end. */
    boolean terminate(Duration timeout) {
        this.process.destroy();
        try {
            return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int exitValue() {
        return this.process.exitValue();
    }

    /**
     * Writes the threads of the running gateway next to its log, each jcmd bounded: {@code Thread.print -l} (the
     * platform threads with their locks, and each virtual thread mounted on a carrier) and
     * {@code Thread.dump_to_file} (every thread, virtual ones included). Returns the files.
     */
    List<Path> dumpThreads(String name) {
        Path print = this.log.resolveSibling(name + "-thread-print.txt");
        jcmd(print, "Thread.print", "-l");
        Path all = this.log.resolveSibling(name + "-threads.txt");
        jcmd(this.log.resolveSibling(name + "-threads-jcmd.txt"), "Thread.dump_to_file", "-overwrite",
                "-format=text", all.toString());
        return List.of(print, all);
    }

    /** The last lines of the log, for a failure message. */
    String logTail(int lines) {
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
        try {
            this.process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
