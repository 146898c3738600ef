package io.iotgateway.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

/**
 * The packaged gateway as the container image runs it, extracted ({@code java -Djarmode=tools -jar ... extract}),
 * with an ahead-of-time cache of its classes (JDK 25: {@code -XX:AOTCacheOutput} in one training start, then
 * {@code -XX:AOTCache}). The cluster tests start a replica seven times, three of them at once on two cores; with the
 * cache one replica alone was ready in 2-3 s instead of 6-9 s on this machine. The training run starts the gateway
 * as a replica would, up to its refreshed context ({@code spring.context.exit=onRefresh}: no web server, no
 * devices), and the JVM writes the cache as it exits. Kept per packaged jar (its size and time) in the directory
 * given; a run without the cache (training failed, or {@code -Dcluster-it.aot=false}) starts the packaged jar as it
 * is.
 */
final class FastStartGateway {

    /** {@code -Dcluster-it.aot=false} starts the packaged jar without extraction and cache. */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("cluster-it.aot", "true"));

    private static final Duration EXTRACT_TIMEOUT = Duration.ofSeconds(60);

    private static final String PREFIX = "gateway-";

    private final Path jar;

    private final Path cache;

    private FastStartGateway(Path jar, Path cache) {
        this.jar = jar;
        this.cache = cache;
    }

    /**
     * Extracts the packaged jar into a directory of its own under {@code directory}, unless done before; those of
     * earlier jars go (about 180 MB each with the cache).
     */
    static FastStartGateway extract(Path packagedJar, Path directory) {
        try {
            Path home = directory.resolve(PREFIX + Files.size(packagedJar) + "-"
                    + Files.getLastModifiedTime(packagedJar).toMillis());
            Path extracted = home.resolve("extracted");
            Path jar = extracted.resolve(packagedJar.getFileName());
            if (!Files.isRegularFile(jar)) {
                deleteEarlier(directory);
                Files.createDirectories(home);
                run(List.of(java(), "-Djarmode=tools", "-jar", packagedJar.toAbsolutePath().toString(), "extract",
                        "--destination", extracted.toAbsolutePath().toString()), Map.of(), home.resolve("extract.log"),
                        EXTRACT_TIMEOUT);
            }
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("Extracting " + packagedJar + " made no " + jar + "; see "
                        + home.resolve("extract.log"));
            }
            return new FastStartGateway(jar, home.resolve("gateway.aot"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The extracted application jar, to start with {@code java -jar}. */
    Path jar() {
        return this.jar;
    }

    boolean hasCache() {
        return Files.isRegularFile(this.cache);
    }

    /** {@code jvmOptions} and, once trained, the option that uses the cache. */
    List<String> jvmOptions(List<String> jvmOptions) {
        List<String> options = new ArrayList<>(jvmOptions);
        if (hasCache()) {
            options.add("-XX:AOTCache=" + this.cache.toAbsolutePath());
        }
        return options;
    }

    /**
     * Starts the gateway once with {@code jvmOptions} (those of the later starts) and {@code arguments} up to its
     * refreshed context, writing the cache; returns how long it took, or {@code null} if the cache was there
     * already. A training that fails leaves no cache, and the replicas start without.
     */
    @Nullable Duration train(List<String> jvmOptions, List<String> arguments, Map<String, String> environment,
            Duration timeout) {
        if (hasCache()) {
            return null;
        }
        long began = System.nanoTime();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:AOTCacheOutput=" + this.cache.toAbsolutePath(),
                "-Dspring.context.exit=onRefresh", "-jar", this.jar.toAbsolutePath().toString()));
        command.addAll(arguments);
        Path log = this.cache.resolveSibling("training.log");
        try {
            run(command, environment, log, timeout);
        }
        catch (IllegalStateException ex) {
            deleteQuietly(this.cache);
            System.err.println("No AOT cache for the cluster tests, the replicas start without: " + ex.getMessage());
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }

    @Override
    public String toString() {
        return "FastStartGateway[" + this.jar + (hasCache() ? ", with AOT cache" : "") + "]";
    }

    /** Runs a command to its end, its output to {@code log}; fails on a timeout or an exit status other than 0. */
    private static void run(List<String> command, Map<String, String> environment, Path log, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Still running after " + timeout.toSeconds() + " s; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Exit status " + process.exitValue() + "; see " + log);
            }
        }
        catch (IOException ex) {
            // the command line only: the environment holds secrets
            throw new IllegalStateException("Cannot run " + command + ": " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), ex);
        }
    }

    private static void deleteEarlier(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path earlier : entries.filter((entry) -> entry.getFileName().toString().startsWith(PREFIX)).toList()) {
                FileSystemUtils.deleteRecursively(earlier);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException ex) {
            // a half-written cache the JVM refuses anyway
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

}
