package io.iotgateway.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceCredentialsChanged;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.DeviceTriple;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;

/**
 * The gateway's credential service: configured devices first (configuration wins), then the registry, whose
 * secrets are decrypted at every look-up. Secrets are never cached: every CONNECT signs with the stored secret.
 * What every publish asks, whether the device exists, is answered from memory for devices found in the registry
 * within the last {@code gateway.registry.known-device-ttl}: a removal through this gateway forgets the device at
 * once ({@link DeviceCredentialsChanged}), one through another gateway sharing the database counts here after at
 * most that long. Unknown devices are never remembered, so a device just added is found at its first request.
 */
final class RegistryCredentialService implements CredentialService {

    // far more devices than one gateway serves; past it the least recently asked are asked again
    private static final int MAX_KNOWN = 200_000;

    private final CredentialService configured;

    private final JdbcDeviceStore store;

    private final SecretCipher cipher;

    // null: ask the database at every request
    private final @Nullable Cache<DeviceId, Boolean> known;

    RegistryCredentialService(CredentialService configured, JdbcDeviceStore store, SecretCipher cipher,
            Duration knownDeviceTtl) {
        this.configured = configured;
        this.store = store;
        this.cipher = cipher;
        this.known = knownDeviceTtl.isPositive()
                ? Caffeine.newBuilder().expireAfterWrite(knownDeviceTtl).maximumSize(MAX_KNOWN).build() : null;
    }

    @Override
    public Optional<DeviceTriple> find(DeviceId id) {
        Optional<DeviceTriple> fromConfiguration = this.configured.find(id);
        if (fromConfiguration.isPresent()) {
            return fromConfiguration;
        }
        return this.store.find(id).map(row -> new DeviceTriple(id, this.cipher.open(id, row.sealed())));
    }

    @Override
    public boolean exists(DeviceId id) {
        return this.configured.exists(id) || inRegistry(id);
    }

    private boolean inRegistry(DeviceId id) {
        if (this.known == null) {
            return this.store.exists(id);
        }
        if (this.known.getIfPresent(id) != null) {
            return true;
        }
        boolean exists = this.store.exists(id);
        if (exists) {
            this.known.put(id, Boolean.TRUE);
        }
        return exists;
    }

    /** A device removed (or re-keyed) through this gateway is asked for in the database again. */
    @EventListener
    void forget(DeviceCredentialsChanged change) {
        if (this.known != null) {
            this.known.invalidate(change.device());
        }
    }

    @Override
    public List<DeviceId> deviceIds() {
        TreeSet<DeviceId> ids = new TreeSet<>(this.configured.deviceIds());
        ids.addAll(this.store.ids());
        return List.copyOf(ids);
    }
}
