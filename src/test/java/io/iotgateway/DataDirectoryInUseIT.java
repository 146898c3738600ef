package io.iotgateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.iotgateway.testsupport.GatewayProcess;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second gateway process on a data directory another one uses (its H2 registry file locked) refuses to start
 * with one line that names the directory and the property to change, not H2's and Flyway's stack trace; so does
 * the loser of two started at once, which used to get past the check while the winner had not opened its pool
 * yet. Real processes of the packaged jar (failsafe, after {@code package}), their logs kept in
 * {@code target/data-directory-in-use}; one to two minutes on two shared cores.
 */
class DataDirectoryInUseIT {

    private static final Duration LIVENESS_TIMEOUT = Duration.ofSeconds(90);

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);

    private final Path jar = Path.of(System.getProperty("repeated-start.jar", "target/iot-gateway-0.1.0-SNAPSHOT.jar"));

    private final Path output = Path.of(System.getProperty("repeated-start.output", "target/repeated-start"))
        .resolveSibling("data-directory-in-use");

    @Test
    void secondGatewayOnADataDirectoryInUseRefusesInOneLine() throws IOException {
        Path data = dataDirectory();
        try (GatewayProcess first = start("first", data)) {
            awaitLive(first);
            try (GatewayProcess second = start("second", data)) {
                awaitExit(second);

                assertRefusedInOneLine(second, data);
            }
            assertThat(first.get("/actuator/health/liveness")).as("the first gateway still answers").isEqualTo(200);
        }
        finally {
            FileSystemUtils.deleteRecursively(data);
        }
    }

    @Test
    void ofTwoGatewaysStartedAtOnceOnOneDataDirectoryOneRunsAndTheOtherRefusesInOneLine() throws IOException {
        Path data = dataDirectory();
        try (GatewayProcess one = start("at-once-1", data); GatewayProcess other = start("at-once-2", data)) {
            try {
                await().atMost(LIVENESS_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> (!one.isAlive() || isLive(one)) && (!other.isAlive() || isLive(other)));
            }
            catch (ConditionTimeoutException ex) {
                throw new AssertionError("Neither exited nor answered its liveness probe within "
                        + LIVENESS_TIMEOUT.toSeconds() + " s. Logs:\n" + one.logTail(20) + "\n" + other.logTail(20));
            }
            assertThat(List.of(one.isAlive(), other.isAlive())).as("exactly one runs: " + one.log() + ", "
                    + other.log()).containsExactlyInAnyOrder(true, false);
            GatewayProcess refused = one.isAlive() ? other : one;
            assertRefusedInOneLine(refused, data);
        }
        finally {
            FileSystemUtils.deleteRecursively(data);
        }
    }

    private Path dataDirectory() throws IOException {
        return Files.createDirectories(this.output).resolve("data-" + UUID.randomUUID()).toAbsolutePath();
    }

    private GatewayProcess start(String name, Path data) {
        assertThat(this.jar).as("the packaged gateway (mvn package)").isRegularFile();
        return GatewayProcess.start(this.jar, List.of(), List.of("--gateway.data-dir=" + data),
                this.output.resolve(data.getFileName() + "-" + name + ".log"));
    }

    private static void awaitLive(GatewayProcess gateway) {
        await().atMost(LIVENESS_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> isLive(gateway));
    }

    private static boolean isLive(GatewayProcess gateway) {
        return gateway.isAlive() && gateway.get("/actuator/health/liveness") == 200;
    }

    private static void awaitExit(GatewayProcess gateway) {
        try {
            await().atMost(EXIT_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> !gateway.isAlive());
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError("The second gateway did not exit within " + EXIT_TIMEOUT.toSeconds()
                    + " s. Log " + gateway.log() + ":\n" + gateway.logTail(40));
        }
    }

    /** Exited non-zero with Boot's report: the directory and gateway.data-dir, and no stack trace. */
    private static void assertRefusedInOneLine(GatewayProcess gateway, Path data) throws IOException {
        String log = Files.readString(gateway.log(), StandardCharsets.UTF_8);
        assertThat(gateway.exitValue()).as("exit status, log " + gateway.log()).isNotZero();
        assertThat(log).contains("APPLICATION FAILED TO START").doesNotContain("\tat ", "at org.h2", "Caused by");
        List<String> report = log.substring(log.lastIndexOf("Description:")).lines().toList();
        assertThat(report.get(2)).isEqualTo("The data directory " + data + " is in use by another gateway process "
                + "(its registry database registry.mv.db is locked).");
        assertThat(report.get(4)).isEqualTo("Action:");
        assertThat(report.get(6)).contains("gateway.data-dir=", "spring.datasource.url");
    }
}
