package io.iotgateway.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceCredentialsChanged;
import io.iotgateway.credential.DeviceId;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds, replaces, reads and removes the devices of the durable registry. Devices from configuration win over the
 * registry and are read-only here. Changes that make a device's open connection stale publish a
 * {@link DeviceCredentialsChanged} after they committed.
 */
public class DeviceRegistry {

    private final JdbcDeviceStore store;

    private final SecretCipher cipher;

    private final CredentialService configured;

    private final TransactionTemplate transactions;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    DeviceRegistry(JdbcDeviceStore store, SecretCipher cipher, CredentialService configured,
            TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.configured = configured;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /** Whether the device comes from configuration, which the registry cannot change. */
    public boolean isConfigured(DeviceId id) {
        return this.configured.find(id).isPresent();
    }

    /**
     * Creates or replaces a device (secret and note); a changed secret closes the device's connection.
     * @throws ReadOnlyDeviceException for a configured device
     * @throws IllegalArgumentException for an invalid secret or description (the message never shows the secret)
     */
    public WriteOutcome put(DeviceId id, String secret, @Nullable String description) {
        requireWritable(id);
        String problem = RegistryInput.secretProblem(secret);
        if (problem == null) {
            problem = RegistryInput.descriptionProblem(description);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        List<DeviceCredentialsChanged> changes = new ArrayList<>();
        WriteOutcome outcome = inTransaction(status -> {
            changes.clear();
            return write(id, secret, description, true, changes);
        });
        publish(changes);
        return outcome;
    }

    /**
     * Removes a device and closes its connection.
     * @return whether the registry had it
     * @throws ReadOnlyDeviceException for a configured device
     */
    public boolean remove(DeviceId id) {
        requireWritable(id);
        boolean removed = this.store.delete(id);
        if (removed) {
            publish(List.of(new DeviceCredentialsChanged(id, DeviceCredentialsChanged.Change.REMOVED)));
        }
        return removed;
    }

    public Optional<RegisteredDevice> get(DeviceId id) {
        if (isConfigured(id)) {
            return Optional.of(RegisteredDevice.configured(id));
        }
        return this.store.find(id).map(RegisteredDevice::of);
    }

    /**
     * A page of the configured devices followed by the registry's.
     * @param productKey only this product's devices, or all when {@code null}
     */
    public RegistryPage list(@Nullable String productKey, long offset, int limit) {
        List<DeviceId> fromConfiguration = this.configured.deviceIds()
            .stream()
            .filter(id -> productKey == null || id.productKey().equals(productKey))
            .sorted()
            .toList();
        List<RegisteredDevice> page = new ArrayList<>(limit);
        fromConfiguration.stream()
            .skip(offset)
            .limit(limit)
            .map(RegisteredDevice::configured)
            .forEach(page::add);
        long registryOffset = Math.max(0, offset - fromConfiguration.size());
        if (page.size() < limit) {
            this.store.page(productKey, fromConfiguration, registryOffset, limit - page.size())
                .forEach(row -> page.add(RegisteredDevice.of(row)));
        }
        long total = fromConfiguration.size() + this.store.count(productKey, fromConfiguration);
        return new RegistryPage(page, total);
    }

    /**
     * Writes (or, with {@code apply} false, only evaluates) one valid device inside the caller's transaction.
     * @param changes collects the events to publish once the transaction committed
     */
    WriteOutcome write(DeviceId id, String secret, @Nullable String note, boolean apply,
            List<DeviceCredentialsChanged> changes) {
        String description = (note == null || note.isBlank()) ? null : note;
        Optional<StoredDevice> existing = this.store.find(id);
        Instant now = this.clock.instant();
        if (existing.isEmpty()) {
            if (apply) {
                this.store.insert(new StoredDevice(id, this.cipher.seal(id, secret), description, now, now));
            }
            return WriteOutcome.CREATED;
        }
        StoredDevice row = existing.get();
        boolean sameSecret = sameText(this.cipher.open(id, row.sealed()), secret);
        if (sameSecret && Objects.equals(description, row.description())) {
            return WriteOutcome.UNCHANGED;
        }
        if (apply) {
            SecretCipher.Sealed sealed = sameSecret ? row.sealed() : this.cipher.seal(id, secret);
            this.store.update(new StoredDevice(id, sealed, description, row.createdAt(), now));
            if (!sameSecret) {
                changes.add(new DeviceCredentialsChanged(id, DeviceCredentialsChanged.Change.SECRET_CHANGED));
            }
        }
        return WriteOutcome.UPDATED;
    }

    /** Runs the work in one transaction, once more if a concurrent writer created the same device first. */
    <T> T inTransaction(Function<TransactionStatus, T> work) {
        try {
            return this.transactions.execute(work::apply);
        }
        catch (DuplicateKeyException ex) {
            return this.transactions.execute(work::apply);
        }
    }

    void publish(List<DeviceCredentialsChanged> changes) {
        changes.forEach(this.events::publishEvent);
    }

    private void requireWritable(DeviceId id) {
        if (isConfigured(id)) {
            throw new ReadOnlyDeviceException(id);
        }
    }

    private static boolean sameText(String a, String b) {
        // constant time: how long the comparison takes says nothing about the stored secret
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
