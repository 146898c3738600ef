package io.iotgateway.registry;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import io.iotgateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data directory holds the registry's database and the generated master key: only the gateway's user may
 * enter it or read what is in it, also when it existed before with looser permissions.
 */
class DataDirectoryPermissionsIntegrationTests {

    @TempDir
    Path parent;

    @Test
    void newDataDirectoryIsClosedAndItsFilesAreTheOwnersOnly() throws IOException {
        Path dataDir = this.parent.resolve("data");

        try (ConfigurableApplicationContext gateway = start(dataDir)) {
            assertClosed(dataDir);
        }
    }

    @Test
    void existingWorldReadableDataDirectoryAndFilesAreTightenedAtStart() throws IOException {
        Path dataDir = Files.createDirectory(this.parent.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path earlier = Files.writeString(dataDir.resolve("registry.trace.db"), "left by an earlier version");
        Files.setPosixFilePermissions(earlier, PosixFilePermissions.fromString("rw-r--r--"));

        try (ConfigurableApplicationContext gateway = start(dataDir)) {
            assertClosed(dataDir);
        }
    }

    private static void assertClosed(Path dataDir) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> list = Files.list(dataDir)) {
            files = list.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(file -> file.getFileName().toString())
            .contains("registry.mv.db", MasterKeyLoader.GENERATED_KEY_FILE);
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                .isEqualTo("rw-------");
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
                "--gateway.data-dir=" + dataDir);
    }
}
