package io.iotgateway.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.iotgateway.DataDirectory;
import io.iotgateway.StartupRefusedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Finds the master keys: the configured current key ({@code master-key} or {@code master-key-file}) and the
 * previous ones; without a configured key, a key generated once into the data directory, but only for the
 * embedded database and only when a key is not required. Every refusal says what to configure and never shows
 * key material.
 */
final class MasterKeyLoader {

    static final String GENERATED_KEY_FILE = "master.key";

    private static final Log log = LogFactory.getLog(MasterKeyLoader.class);

    private static final String MOUNT_KEY = "Set gateway.registry.master-key-file to a file holding the key (openssl "
            + "rand -base64 32), e.g. a mounted Kubernetes Secret; see docs/registry.md.";

    private final RegistryProperties properties;

    private final Path dataDir;

    MasterKeyLoader(RegistryProperties properties, Path dataDir) {
        this.properties = properties;
        this.dataDir = dataDir;
    }

    /**
     * @param required whether a configured key is required (flag or production profile)
     * @param embeddedDatabase whether the registry lives in the embedded database of this gateway's data directory
     */
    SecretCipher load(boolean required, boolean embeddedDatabase) {
        MasterKey current = configuredKey();
        if (current == null) {
            if (required) {
                throw new StartupRefusedException("No master key for the device registry: set gateway.registry."
                        + "master-key or gateway.registry.master-key-file (required by gateway.registry."
                        + "require-master-key or the production profile).", MOUNT_KEY);
            }
            if (!embeddedDatabase) {
                throw new StartupRefusedException("No master key for the device registry: a registry in a shared "
                        + "database (spring.datasource.url) needs the same key on every gateway; set gateway."
                        + "registry.master-key or gateway.registry.master-key-file.", MOUNT_KEY);
            }
            current = generatedKey();
        }
        List<String> previous = this.properties.previousMasterKeys();
        List<MasterKey> previousKeys = new ArrayList<>();
        for (int i = 0; i < previous.size(); i++) {
            previousKeys.add(MasterKey.parse(previous.get(i), "gateway.registry.previous-master-keys[" + i + "]"));
        }
        return new SecretCipher(current, previousKeys);
    }

    private @Nullable MasterKey configuredKey() {
        String inline = this.properties.masterKey();
        Path file = this.properties.masterKeyFile();
        boolean hasInline = inline != null && !inline.isBlank();
        if (hasInline && file != null) {
            throw new StartupRefusedException("Both gateway.registry.master-key and gateway.registry.master-key-file "
                    + "are set; set one.", "Keep the one that holds the current key.");
        }
        if (hasInline) {
            return MasterKey.parse(inline, "gateway.registry.master-key");
        }
        if (file != null) {
            return MasterKey.parse(read(file, "gateway.registry.master-key-file"), "The master key file " + file);
        }
        return null;
    }

    private MasterKey generatedKey() {
        Path file = this.dataDir.resolve(GENERATED_KEY_FILE);
        if (!Files.exists(file)) {
            create(file);
        }
        log.warn("The device registry's secrets are encrypted with the master key generated into " + file
                + ", next to the database it protects. Keep that file with the data (a lost key makes the stored "
                + "secrets unreadable), and configure gateway.registry.master-key-file for production.");
        return MasterKey.parse(read(file, "the generated master key file"), "The generated master key file " + file);
    }

    private static void create(Path file) {
        byte[] key = new byte[MasterKey.BYTES];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            DataDirectory.prepare(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "master", ".tmp");
            try {
                restrictToOwner(temporary);
                Files.write(temporary, text);
                // a link fails if the file appeared meanwhile: two gateways starting together keep one key
                Files.createLink(file, temporary);
                log.warn("Generated a master key for the device registry into " + file);
            }
            catch (FileAlreadyExistsException ex) {
                // the other one won; its key is the key
            }
            finally {
                Files.deleteIfExists(temporary);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write the generated master key to " + file, ex);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new StartupRefusedException("Cannot read " + what + " " + file + ": " + ex.getClass().getSimpleName()
                    + ".", "Check that the file exists and that the gateway's user may read it.");
        }
    }
}
