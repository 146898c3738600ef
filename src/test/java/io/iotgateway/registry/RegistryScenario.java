package io.iotgateway.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceCredentialsChanged;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.DeviceTriple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The registry against a real database: storage, encryption at rest, configuration layering, import
 * transactions, key rotation and the start-up key check. Subclasses supply the database.
 */
abstract class RegistryScenario {

    static final DeviceId SHEEP = new DeviceId("a1B2c3D4e5F", "sheep-0001");

    static final DeviceTriple CONFIGURED = new DeviceTriple("a1B2c3D4e5F", "configured", "configured-secret-1");

    static final String SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    final MasterKey key = SecretCipherTests.randomKey();

    final List<DeviceCredentialsChanged> events = new CopyOnWriteArrayList<>();

    SecretCipher cipher;

    JdbcDeviceStore store;

    DeviceRegistry registry;

    DeviceImporter importer;

    CredentialService credentials;

    KeyRotation rotation;

    abstract RegistryDatabase database();

    @BeforeEach
    void emptyRegistry() {
        database().clean();
        wire(new SecretCipher(this.key, List.of()), Clock.systemUTC());
    }

    void wire(SecretCipher cipher, Clock clock) {
        InMemoryCredentialService configured = new InMemoryCredentialService(List.of(CONFIGURED));
        this.cipher = cipher;
        this.store = new JdbcDeviceStore(database().jdbc());
        this.registry = new DeviceRegistry(this.store, cipher, configured, database().transactions(),
                event -> this.events.add((DeviceCredentialsChanged) event), clock);
        this.importer = new DeviceImporter(this.registry);
        // asks the database every time, as the scenarios below expect; the remembering is tested on its own
        this.credentials = new RegistryCredentialService(configured, this.store, cipher, Duration.ZERO);
        this.rotation = new KeyRotation(this.store, cipher);
    }

    @Test
    void storesTheSecretEncryptedAndReadsItBack() {
        assertThat(this.registry.put(SHEEP, SECRET, "barn 3")).isEqualTo(WriteOutcome.CREATED);

        assertThat(this.credentials.find(SHEEP)).contains(new DeviceTriple(SHEEP, SECRET));
        Map<String, Object> row = database().jdbc().sql("select * from device").query().singleRow();
        assertThat(row.values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(SECRET));
        assertThat(row).containsEntry("key_id", this.key.id());
        assertThat(this.registry.get(SHEEP)).hasValueSatisfying(device -> {
            assertThat(device.source()).isEqualTo(DeviceSource.REGISTRY);
            assertThat(device.description()).isEqualTo("barn 3");
            assertThat(device.keyId()).isEqualTo(this.key.id());
            assertThat(device.createdAt()).isNotNull().isEqualTo(device.updatedAt());
        });
        assertThat(this.events).isEmpty();
    }

    @Test
    void existenceIsKnownWithoutDecryptingTheSecret() {
        this.registry.put(SHEEP, SECRET, null);
        // a cipher without the key the secret was sealed with: reading the secret would fail
        this.credentials = new RegistryCredentialService(new InMemoryCredentialService(List.of(CONFIGURED)),
                this.store, new SecretCipher(SecretCipherTests.randomKey(), List.of()), Duration.ZERO);

        assertThat(this.credentials.exists(SHEEP)).isTrue();
        assertThat(this.credentials.exists(CONFIGURED.id())).isTrue();
        assertThat(this.credentials.exists(new DeviceId("a1B2c3D4e5F", "nobody"))).isFalse();
    }

    @Test
    void aDeviceFoundIsRememberedUntilItIsRemovedHereOrItsTimeIsUp() {
        RegistryCredentialService remembering = new RegistryCredentialService(
                new InMemoryCredentialService(List.of(CONFIGURED)), this.store, this.cipher, Duration.ofSeconds(2));
        DeviceId later = new DeviceId("a1B2c3D4e5F", "later");
        assertThat(remembering.exists(later)).isFalse();
        this.registry.put(later, SECRET, null);
        assertThat(remembering.exists(later)).as("an unknown device is never remembered").isTrue();

        // removed behind this gateway's back (another gateway sharing the database): still known for the TTL
        this.registry.put(SHEEP, SECRET, null);
        assertThat(remembering.exists(SHEEP)).isTrue();
        this.store.delete(SHEEP);
        assertThat(remembering.exists(SHEEP)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !remembering.exists(SHEEP));

        // removed through this gateway: forgotten at once
        assertThat(remembering.exists(later)).isTrue();
        this.registry.remove(later);
        assertThat(remembering.exists(later)).as("before the event").isTrue();
        this.events.forEach(remembering::forget);
        assertThat(remembering.exists(later)).isFalse();
    }

    @Test
    void sameSecretIsUnchangedAndANewSecretUpdatesAndClosesTheConnection() {
        this.registry.put(SHEEP, SECRET, null);

        assertThat(this.registry.put(SHEEP, SECRET, null)).isEqualTo(WriteOutcome.UNCHANGED);
        assertThat(this.registry.put(SHEEP, SECRET, "moved to barn 4")).isEqualTo(WriteOutcome.UPDATED);
        assertThat(this.events).isEmpty();
        assertThat(this.registry.put(SHEEP, "rotated-secret", "moved to barn 4")).isEqualTo(WriteOutcome.UPDATED);

        assertThat(this.credentials.find(SHEEP).orElseThrow().deviceSecret()).isEqualTo("rotated-secret");
        assertThat(this.events).containsExactly(
                new DeviceCredentialsChanged(SHEEP, DeviceCredentialsChanged.Change.SECRET_CHANGED));
    }

    @Test
    void removingADeviceForgetsItAndClosesItsConnection() {
        this.registry.put(SHEEP, SECRET, null);

        assertThat(this.registry.remove(SHEEP)).isTrue();
        assertThat(this.registry.remove(SHEEP)).isFalse();

        assertThat(this.credentials.find(SHEEP)).isEmpty();
        assertThat(this.credentials.deviceIds()).containsExactly(CONFIGURED.id());
        assertThat(this.events).containsExactly(
                new DeviceCredentialsChanged(SHEEP, DeviceCredentialsChanged.Change.REMOVED));
    }

    @Test
    void configuredDevicesWinOverTheRegistryAndAreReadOnlyThere() {
        // a row written before the device was added to the configuration
        this.store.insert(new StoredDevice(CONFIGURED.id(), this.cipher.seal(CONFIGURED.id(), "stale"), null,
                Instant.now(), Instant.now()));

        assertThat(this.credentials.find(CONFIGURED.id())).contains(CONFIGURED);
        assertThatExceptionOfType(ReadOnlyDeviceException.class)
            .isThrownBy(() -> this.registry.put(CONFIGURED.id(), SECRET, null));
        assertThatExceptionOfType(ReadOnlyDeviceException.class)
            .isThrownBy(() -> this.registry.remove(CONFIGURED.id()));
        assertThat(this.registry.get(CONFIGURED.id()).orElseThrow().source()).isEqualTo(DeviceSource.CONFIGURATION);
        RegistryPage all = this.registry.list(null, 0, 10);
        assertThat(all.total()).isOne();
        assertThat(all.devices()).extracting(RegisteredDevice::source).containsExactly(DeviceSource.CONFIGURATION);
    }

    @Test
    void listsPagesOfConfiguredThenRegistryDevicesAndFiltersByProduct() {
        for (int i = 1; i <= 12; i++) {
            this.registry.put(new DeviceId("a1B2c3D4e5F", "sheep-%04d".formatted(i)), SECRET + i, null);
            this.registry.put(new DeviceId("b9Z8y7X6w5V", "goat-%04d".formatted(i)), SECRET + i, null);
        }

        RegistryPage first = this.registry.list(null, 0, 5);
        RegistryPage last = this.registry.list(null, 20, 5);
        RegistryPage sheep = this.registry.list("a1B2c3D4e5F", 10, 5);

        assertThat(first.total()).isEqualTo(25);
        assertThat(first.devices()).extracting(device -> device.id().toString())
            .containsExactly("a1B2c3D4e5F/configured", "a1B2c3D4e5F/sheep-0001", "a1B2c3D4e5F/sheep-0002",
                    "a1B2c3D4e5F/sheep-0003", "a1B2c3D4e5F/sheep-0004");
        assertThat(last.devices()).extracting(device -> device.id().deviceName())
            .containsExactly("goat-0008", "goat-0009", "goat-0010", "goat-0011", "goat-0012");
        assertThat(sheep.total()).isEqualTo(13);
        assertThat(sheep.devices()).extracting(device -> device.id().deviceName())
            .containsExactly("sheep-0010", "sheep-0011", "sheep-0012");
        assertThat(this.registry.list("c0000000000", 0, 5)).isEqualTo(new RegistryPage(List.of(), 0));
    }

    @Test
    void importWritesTheValidRowsAndReportsEveryRow() {
        this.registry.put(SHEEP, SECRET, null);
        List<ImportRow> rows = List.of(new ImportRow(2, "a1B2c3D4e5F", "sheep-0001", SECRET, null),
                new ImportRow(3, "a1B2c3D4e5F", "sheep-0002", "secret-2", "new"),
                new ImportRow(4, "a1B2c3D4e5F", "abc", "secret-3", null),
                new ImportRow(5, "a1B2c3D4e5F", "sheep-0005", "", null),
                new ImportRow(6, "a1B2c3D4e5F", "sheep-0006", "secret-6", null),
                new ImportRow(7, "a1B2c3D4e5F", "sheep-0006", "secret-6-other", null),
                new ImportRow(8, "a1B2c3D4e5F", "configured", "secret-8", null),
                ImportRow.unreadable(9, "The line has 2 field(s); the header has 3"));

        ImportReport report = this.importer.importDevices(rows, ImportMode.SKIP_INVALID);

        assertThat(report.applied()).isTrue();
        assertThat(report).extracting(ImportReport::created, ImportReport::updated, ImportReport::unchanged,
                ImportReport::rejected)
            .containsExactly(1, 0, 1, 6);
        assertThat(report.rows()).extracting(ImportReport.RowResult::row, ImportReport.RowResult::outcome)
            .containsExactly(tuple(2, WriteOutcome.UNCHANGED), tuple(3, WriteOutcome.CREATED),
                    tuple(4, WriteOutcome.REJECTED), tuple(5, WriteOutcome.REJECTED), tuple(6, WriteOutcome.REJECTED),
                    tuple(7, WriteOutcome.REJECTED), tuple(8, WriteOutcome.REJECTED), tuple(9, WriteOutcome.REJECTED));
        assertThat(report.rows()).extracting(ImportReport.RowResult::reason)
            .containsExactly(null, null, "DeviceName must be 4-32 characters of letters, digits and -_@.: (got 3 "
                    + "characters)", "DeviceSecret is missing or empty",
                    "The device appears more than once in this import (rows 6, 7); give it once",
                    "The device appears more than once in this import (rows 6, 7); give it once",
                    "The device is managed by configuration (gateway.devices or the emulator's demo device); change "
                            + "it there",
                    "The line has 2 field(s); the header has 3");
        assertThat(report.rows().get(2).deviceName()).as("an invalid name is not echoed").isNull();
        assertThat(this.credentials.deviceIds()).extracting(DeviceId::deviceName)
            .containsExactly("configured", "sheep-0001", "sheep-0002");
    }

    @Test
    void reimportIsUnchangedAndAChangedSecretUpdatesAndClosesTheConnection() {
        List<ImportRow> rows = List.of(new ImportRow(2, "a1B2c3D4e5F", "sheep-0001", SECRET, null));
        this.importer.importDevices(rows, ImportMode.SKIP_INVALID);

        ImportReport again = this.importer.importDevices(rows, ImportMode.SKIP_INVALID);
        ImportReport rotated = this.importer.importDevices(
                List.of(new ImportRow(2, "a1B2c3D4e5F", "sheep-0001", "rotated", null)), ImportMode.SKIP_INVALID);

        assertThat(again.unchanged()).isOne();
        assertThat(rotated.updated()).isOne();
        assertThat(this.events).containsExactly(
                new DeviceCredentialsChanged(SHEEP, DeviceCredentialsChanged.Change.SECRET_CHANGED));
    }

    @Test
    void allOrNothingAndDryRunWriteNothingButReportWhatWouldHappen() {
        List<ImportRow> valid = List.of(new ImportRow(2, "a1B2c3D4e5F", "sheep-0001", SECRET, null));
        List<ImportRow> oneBad = List.of(valid.getFirst(), new ImportRow(3, "a1B2c3D4e5F", "x", SECRET, null));

        ImportReport refused = this.importer.importDevices(oneBad, ImportMode.ALL_OR_NOTHING);
        ImportReport dryRun = this.importer.importDevices(valid, ImportMode.DRY_RUN);

        assertThat(refused.applied()).isFalse();
        assertThat(refused.rows()).extracting(ImportReport.RowResult::outcome)
            .containsExactly(WriteOutcome.CREATED, WriteOutcome.REJECTED);
        assertThat(dryRun.applied()).isFalse();
        assertThat(dryRun.created()).isOne();
        assertThat(this.store.ids()).isEmpty();
        assertThat(this.importer.importDevices(valid, ImportMode.ALL_OR_NOTHING).applied()).isTrue();
        assertThat(this.store.ids()).containsExactly(SHEEP);
    }

    @Test
    void importIsOneTransactionSoAFailureHalfwayWritesNothing() {
        // the clock is read once per written row: the fifth write fails after four rows were inserted
        AtomicInteger reads = new AtomicInteger();
        Clock failingClock = new Clock() {
            @Override
            public Instant instant() {
                if (reads.incrementAndGet() == 5) {
                    throw new IllegalStateException("database went away");
                }
                return Instant.now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        wire(this.cipher, failingClock);
        List<ImportRow> rows = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            rows.add(new ImportRow(i + 1, "a1B2c3D4e5F", "sheep-%04d".formatted(i), SECRET, null));
        }

        assertThatRuntimeException().isThrownBy(() -> this.importer.importDevices(rows, ImportMode.SKIP_INVALID))
            .withMessage("database went away");
        assertThat(this.store.ids()).isEmpty();
    }

    @Test
    void concurrentFirstPutsOfOneDeviceAllSucceed() throws Exception {
        List<Callable<WriteOutcome>> puts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            puts.add(() -> this.registry.put(SHEEP, SECRET, null));
        }
        List<WriteOutcome> outcomes = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<WriteOutcome> outcome : executor.invokeAll(puts)) {
                outcomes.add(outcome.get());
            }
        }

        assertThat(outcomes).containsOnlyOnce(WriteOutcome.CREATED).containsOnly(WriteOutcome.CREATED,
                WriteOutcome.UNCHANGED);
    }

    @Test
    void keyRotationKeepsOldSecretsReadableAndReEncryptsThemOnline() {
        for (int i = 1; i <= 450; i++) {
            this.registry.put(new DeviceId("a1B2c3D4e5F", "sheep-%04d".formatted(i)), SECRET + i, null);
        }
        MasterKey newKey = SecretCipherTests.randomKey();
        wire(new SecretCipher(newKey, List.of(this.key)), Clock.systemUTC());
        MasterKeyCheck.verify(this.store, this.cipher);
        this.registry.put(new DeviceId("a1B2c3D4e5F", "sheep-0001"), "changed-during-the-rotation", null);

        assertThat(this.credentials.find(new DeviceId("a1B2c3D4e5F", "sheep-0450")).orElseThrow().deviceSecret())
            .isEqualTo(SECRET + 450);
        assertThat(this.rotation.status().devicesOnOlderKeys()).isEqualTo(449);
        assertThat(this.rotation.reEncrypt()).isEqualTo(449);
        assertThat(this.rotation.status().devicesByKeyId()).containsExactly(Map.entry(newKey.id(), 450L));

        // the old key can go now
        wire(new SecretCipher(newKey, List.of()), Clock.systemUTC());
        MasterKeyCheck.verify(this.store, this.cipher);
        assertThat(this.credentials.find(new DeviceId("a1B2c3D4e5F", "sheep-0002")).orElseThrow().deviceSecret())
            .isEqualTo(SECRET + 2);
        assertThat(this.credentials.find(new DeviceId("a1B2c3D4e5F", "sheep-0001")).orElseThrow().deviceSecret())
            .isEqualTo("changed-during-the-rotation");
    }

    @Test
    void reEncryptionNeverUndoesAConcurrentChange() {
        this.registry.put(SHEEP, SECRET, null);
        SecretCipher.Sealed read = this.store.find(SHEEP).orElseThrow().sealed();
        this.registry.put(SHEEP, "changed-meanwhile", null);

        assertThat(this.store.reseal(SHEEP, read, this.cipher.seal(SHEEP, SECRET))).isFalse();
        assertThat(this.credentials.find(SHEEP).orElseThrow().deviceSecret()).isEqualTo("changed-meanwhile");
    }

    @Test
    void startupFailsLoudlyForAMissingOrWrongKeyAndForAlteredData() {
        this.registry.put(SHEEP, SECRET, null);
        MasterKey wrong = SecretCipherTests.randomKey();

        assertThatIllegalStateException()
            .isThrownBy(() -> MasterKeyCheck.verify(this.store, new SecretCipher(wrong, List.of())))
            .withMessageContaining("1 device secret(s) encrypted with master key(s) [" + this.key.id() + "]")
            .withMessageContaining("configured keys are [" + wrong.id() + "]");

        String sealed = this.store.find(SHEEP).orElseThrow().sealed().ciphertext();
        String altered = ((sealed.charAt(0) == 'A') ? "B" : "A") + sealed.substring(1);
        database().jdbc().sql("update device set secret_sealed = ?").param(altered).update();
        assertThatIllegalStateException().isThrownBy(() -> MasterKeyCheck.verify(this.store, this.cipher))
            .withMessageContaining("Master key check failed", SHEEP.toString(), "altered");
        assertThatExceptionOfType(UnreadableSecretException.class).isThrownBy(() -> this.credentials.find(SHEEP));
    }

}
