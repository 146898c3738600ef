package io.iotgateway.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class MasterKeyLoaderTests {

    @TempDir
    Path dataDir;

    @Test
    void configuredKeyIsTheCurrentOneAndPreviousKeysStayReadable() {
        String current = randomKey();
        String previous = randomKey();

        SecretCipher cipher = load(keys(current, null, List.of(previous), false), false, false);

        assertThat(cipher.currentKeyId()).isEqualTo(MasterKey.parse(current, "").id());
        assertThat(cipher.keyIds()).containsExactly(cipher.currentKeyId(), MasterKey.parse(previous, "").id());
        assertThat(this.dataDir).isEmptyDirectory();
    }

    @Test
    void keyFileWorksLikeAMountedKubernetesSecret() throws Exception {
        String key = randomKey();
        Path file = Files.writeString(this.dataDir.resolve("mounted-key"), key + "\n");

        SecretCipher cipher = load(keys(null, file, List.of(), true), true, false);

        assertThat(cipher.currentKeyId()).isEqualTo(MasterKey.parse(key, "").id());
    }

    @Test
    void withoutAConfiguredKeyTheEmbeddedDatabaseGetsOneGeneratedOnceAndAWarning(CapturedOutput output)
            throws Exception {
        SecretCipher first = load(none(), false, true);
        SecretCipher second = load(none(), false, true);

        Path file = this.dataDir.resolve(MasterKeyLoader.GENERATED_KEY_FILE);
        assertThat(second.currentKeyId()).isEqualTo(first.currentKeyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(output).contains("master key generated into " + file, "gateway.registry.master-key-file")
            .doesNotContain(Files.readString(file).strip());
    }

    @Test
    void gatewaysStartingTogetherOnOneDataDirectoryAgreeOnTheGeneratedKey() throws Exception {
        List<Callable<String>> starts = IntStream.range(0, 8)
            .mapToObj(i -> (Callable<String>) () -> load(none(), false, true).currentKeyId())
            .toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<String> ids = executor.invokeAll(starts).stream().map(MasterKeyLoaderTests::get).toList();
            assertThat(ids).hasSize(8).containsOnly(ids.getFirst());
        }
    }

    @Test
    void refusesToStartWithoutAKeyWhenOneIsRequiredOrTheDatabaseIsShared() {
        assertThatIllegalStateException().isThrownBy(() -> load(none(), true, true))
            .withMessageContaining("No master key", "gateway.registry.master-key-file", "production profile");
        assertThatIllegalStateException().isThrownBy(() -> load(none(), false, false))
            .withMessageContaining("needs the same key on every gateway");
        assertThat(this.dataDir).isEmptyDirectory();
    }

    @Test
    void refusesAmbiguousOrMalformedKeysWithoutShowingThem() throws Exception {
        String key = randomKey();
        Path file = Files.writeString(this.dataDir.resolve("key"), key);
        String truncated = key.substring(0, 20);

        assertThatIllegalStateException().isThrownBy(() -> load(keys(key, file, List.of(), false),
                false, false))
            .withMessageContaining("set one");
        assertThatIllegalStateException()
            .isThrownBy(() -> load(keys(truncated, null, List.of(), false), false, false))
            .withMessageContaining("gateway.registry.master-key decodes to")
            .withMessageNotContaining(truncated);
        assertThatIllegalStateException()
            .isThrownBy(() -> load(keys(key, null, List.of(truncated), false), false, false))
            .withMessageContaining("gateway.registry.previous-master-keys[0]")
            .withMessageNotContaining(truncated);
        assertThatIllegalStateException()
            .isThrownBy(() -> load(keys(null, this.dataDir.resolve("missing"), List.of(), false),
                    false, false))
            .withMessageContaining("Cannot read gateway.registry.master-key-file");
    }

    @Test
    void propertiesNeverPrintTheKey() {
        String key = randomKey();

        assertThat(keys(key, null, List.of(key), false).toString()).doesNotContain(key);
    }

    private SecretCipher load(RegistryProperties properties, boolean required, boolean embedded) {
        return new MasterKeyLoader(properties, this.dataDir).load(required, embedded);
    }

    private static RegistryProperties none() {
        return keys(null, null, List.of(), false);
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static RegistryProperties keys(@Nullable String masterKey, @Nullable Path masterKeyFile,
            List<String> previousMasterKeys, boolean requireMasterKey) {
        return new RegistryProperties(masterKey, masterKeyFile, previousMasterKeys, requireMasterKey,
                Duration.ofSeconds(5));
    }
}
