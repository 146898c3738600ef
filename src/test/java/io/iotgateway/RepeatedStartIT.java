package io.iotgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.iotgateway.testsupport.GatewayProcess;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar started again and again on two virtual-thread carriers with thousands of devices to warm up
 * (issue 13 §1: a start-up that never answered a probe, both carriers pinned by warm-up tasks loading classes from
 * the nested jar). Every start must answer its liveness probe, publish for a few devices and stop on SIGTERM, each
 * within a bound; a start that does not has its threads dumped next to its log in {@code target/repeated-start}.
 * <p>
 * Runs in {@code verify} (failsafe) after {@code package}, 12 starts with 2,000 devices: two to three minutes on
 * two shared cores. {@code -Drepeated-start.starts=N} and {@code -Drepeated-start.devices=N} change that, and
 * {@code -Drepeated-start.arguments="--a=1 --b=2"} adds gateway arguments.
 */
class RepeatedStartIT {

    private static final int STARTS = Integer.getInteger("repeated-start.starts", 12);

    private static final int DEVICES = Integer.getInteger("repeated-start.devices", 2000);

    // for experiments, e.g. -Drepeated-start.arguments=--gateway.mqtt.max-connects-per-second=500
    private static final List<String> EXTRA_ARGUMENTS = Stream
        .of(System.getProperty("repeated-start.arguments", "").split(" "))
        .filter(argument -> !argument.isBlank())
        .toList();

    private static final Duration LIVENESS_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final int PUBLISH_SECONDS = 30;

    private static final String PRODUCT_KEY = "a61QmwQD5ZF";

    // the carriers of the machine the deadlock was seen on; class loading pins a virtual thread to one of them
    private static final List<String> JVM_OPTIONS = List.of("-Djdk.virtualThreadScheduler.parallelism=2");

    @Test
    void everyStartAnswersItsLivenessProbePublishesAndStops() throws IOException {
        Path jar = Path.of(System.getProperty("repeated-start.jar", "target/iot-gateway-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the packaged gateway (mvn package)").isRegularFile();
        Path output = Files.createDirectories(
                Path.of(System.getProperty("repeated-start.output", "target/repeated-start")));
        Path devices = writeDevices(output.resolve("devices.properties"));
        for (int start = 1; start <= STARTS; start++) {
            startPublishAndStop(jar, devices, output, start);
        }
    }

    private void startPublishAndStop(Path jar, Path devices, Path output, int start) {
        String name = "start-" + start;
        Path data = output.resolve(name + "-data");
        List<String> arguments = new ArrayList<>(List.of("--spring.config.additional-location=file:" + devices,
                "--gateway.data-dir=" + data));
        arguments.addAll(EXTRA_ARGUMENTS);
        long began = System.nanoTime();
        Path log = output.resolve(name + ".log");
        try (GatewayProcess gateway = GatewayProcess.start(jar, JVM_OPTIONS, arguments, log)) {
            awaitLiveness(gateway, start);
            long live = System.nanoTime();
            // the first devices in the warm-up's order (by name): connected ahead of traffic by now, or connecting
            for (int device = 0; device < 3; device++) {
                publishAs(gateway, start, deviceName(device));
            }
            long stopping = System.nanoTime();
            if (!gateway.terminate(STOP_TIMEOUT)) {
                throw failure(gateway, start, "did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
            }
            System.out.printf("Start %d of %d: live after %d ms, published, stopped in %d ms (exit %d)%n", start,
                    STARTS, millis(live - began), millis(System.nanoTime() - stopping), gateway.exitValue());
        }
        deleteRecursively(data);
    }

    private void awaitLiveness(GatewayProcess gateway, int start) {
        try {
            await().atMost(LIVENESS_TIMEOUT)
                // often: the first connection Tomcat accepts loads classes, and may meet the warm-up doing the same
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !gateway.isAlive() || gateway.get("/actuator/health/liveness") == 200);
        }
        catch (ConditionTimeoutException ex) {
            throw failure(gateway, start,
                    "did not answer /actuator/health/liveness with 200 within " + LIVENESS_TIMEOUT.toSeconds() + " s");
        }
        if (!gateway.isAlive()) {
            throw new AssertionError("Start " + start + " of " + STARTS + " exited with " + gateway.exitValue()
                    + " before it was live. Log " + gateway.log() + ":\n" + gateway.logTail(40));
        }
    }

    /**
     * Publishes one message as the device, again after a 503 for up to {@value #PUBLISH_SECONDS} s: while the
     * warm-up holds the gateway-wide connect rate, a device it has not reached yet is told to retry.
     */
    private static void publishAs(GatewayProcess gateway, int start, String deviceName) {
        String path = "/api/v1/devices/" + PRODUCT_KEY + "/" + deviceName + "/user/start";
        AtomicInteger status = new AtomicInteger();
        try {
            await().atMost(Duration.ofSeconds(PUBLISH_SECONDS))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    status.set(gateway.post(path, "start " + start));
                    return status.get() == 200;
                });
        }
        catch (ConditionTimeoutException ex) {
            throw failure(gateway, start, "answered no message for " + deviceName + " with 200 within "
                    + PUBLISH_SECONDS + " s (last answer " + status.get() + ")");
        }
    }

    private static AssertionError failure(GatewayProcess gateway, int start, String what) {
        List<Path> dumps = gateway.isAlive() ? gateway.dumpThreads("start-" + start) : List.of();
        return new AssertionError("Start " + start + " of " + STARTS + " (" + DEVICES + " devices, pid "
                + gateway.pid() + ") " + what + ". Threads: " + dumps + ". Log " + gateway.log() + ", its end:\n"
                + gateway.logTail(40));
    }

    /** {@code gateway.devices} for the emulator (which lets in every device the gateway knows) and the warm-up. */
    private static Path writeDevices(Path file) throws IOException {
        StringBuilder properties = new StringBuilder();
        for (int i = 0; i < DEVICES; i++) {
            String prefix = "gateway.devices[" + i + "].";
            properties.append(prefix).append("product-key=").append(PRODUCT_KEY).append('\n');
            properties.append(prefix).append("device-name=").append(deviceName(i)).append('\n');
            properties.append(prefix).append("device-secret=start-secret-").append(i).append('\n');
        }
        return Files.writeString(file, properties);
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    // zero-padded, so that the warm-up's order (by name) is the devices' order
    private static String deviceName(int i) {
        return "lamb%05d".formatted(i);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
