package io.iotgateway.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.iotgateway.StartupRefusedException;
import org.h2.Driver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The embedded registry's file stays locked against other processes from the start-up check on, with no pool
 * connection yet: two gateways started at once on one data directory cannot both get past the check (one of them
 * then failed in Flyway, with a stack trace), and the one that did not is refused in one line.
 */
class EmbeddedRegistryFileTests {

    private static final long OTHER_PROCESS_SECONDS = 60;

    @TempDir
    Path dataDir;

    @Test
    void fileIsLockedAgainstAnotherProcessUntilClosed() throws Exception {
        String url;
        try (EmbeddedRegistryFile file = EmbeddedRegistryFile.open(this.dataDir)) {
            url = file.url();
            assertThat(openInAnotherProcess(url)).as("another process, while the file is open").contains("90020");
        }
        assertThat(openInAnotherProcess(url)).as("another process, once the file is closed")
            .doesNotContain("90020")
            .contains("(1 row");
    }

    @Test
    void poolConnectionsInThisProcessShareTheOpenFile() throws SQLException {
        try (EmbeddedRegistryFile file = EmbeddedRegistryFile.open(this.dataDir);
                Connection pooled = DriverManager.getConnection(file.url(), "sa", "")) {
            assertThat(pooled.isValid(1)).isTrue();
        }
    }

    @Test
    void fileAnotherProcessHoldsIsRefusedInOneLineThatNamesTheDirectory() throws Exception {
        Path directory = this.dataDir.toAbsolutePath();
        Process holder = holdInAnotherProcess("jdbc:h2:file:" + directory.resolve("registry"));
        try {
            StartupRefusedException refusal = catchThrowableOfType(StartupRefusedException.class,
                    () -> EmbeddedRegistryFile.open(this.dataDir).close());
            assertThat(refusal).as("refused").isNotNull();
            assertThat(refusal.getMessage()).isEqualTo("The data directory " + directory + " is in use by another "
                    + "gateway process (its registry database registry.mv.db is locked).");
            assertThat(refusal.action()).contains("gateway.data-dir=", "spring.datasource.url");
        }
        finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Opens the database with H2's shell in a JVM of its own, runs {@code select 1}; returns what it printed. */
    private static String openInAnotherProcess(String url) throws IOException, InterruptedException {
        Process shell = h2Shell(url, List.of("-sql", "select 1"));
        try {
            assertThat(shell.waitFor(OTHER_PROCESS_SECONDS, TimeUnit.SECONDS)).as("H2 shell ended").isTrue();
            return new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        finally {
            shell.destroyForcibly();
        }
    }

    /** An H2 shell in a JVM of its own with the database open, waiting for input; returns once it has it open. */
    private static Process holdInAnotherProcess(String url) throws IOException {
        Process shell = h2Shell(url, List.of());
        StringBuffer printed = new StringBuffer();
        Thread.ofVirtual().start(() -> {
            try (InputStream output = shell.getInputStream()) {
                output.transferTo(new OutputStream() {
                    @Override
                    public void write(int b) {
                        printed.append((char) b);
                    }
                });
            }
            catch (IOException ex) {
                // the shell ended
            }
        });
        shell.getOutputStream().write("select 1;\n".getBytes(StandardCharsets.UTF_8));
        shell.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(OTHER_PROCESS_SECONDS))
            .until(() -> printed.indexOf("(1 row") >= 0 || !shell.isAlive());
        assertThat(printed).as("the other process has the database open").contains("(1 row");
        return shell;
    }

    private static Process h2Shell(String url, List<String> options) throws IOException {
        String h2 = Path.of(Driver.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", h2,
                "org.h2.tools.Shell", "-url", url, "-user", "sa", "-password", ""));
        command.addAll(options);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
