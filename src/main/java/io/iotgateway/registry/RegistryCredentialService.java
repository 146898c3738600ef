package io.iotgateway.registry;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.DeviceTriple;

/**
 * The gateway's credential service: configured devices first (configuration wins), then the registry, whose
 * secrets are decrypted at every look-up. Nothing is cached, so every gateway sharing the database sees a change
 * at its next look-up: the next request and the next CONNECT.
 */
final class RegistryCredentialService implements CredentialService {

    private final CredentialService configured;

    private final JdbcDeviceStore store;

    private final SecretCipher cipher;

    RegistryCredentialService(CredentialService configured, JdbcDeviceStore store, SecretCipher cipher) {
        this.configured = configured;
        this.store = store;
        this.cipher = cipher;
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
        return this.configured.exists(id) || this.store.exists(id);
    }

    @Override
    public List<DeviceId> deviceIds() {
        TreeSet<DeviceId> ids = new TreeSet<>(this.configured.deviceIds());
        ids.addAll(this.store.ids());
        return List.copyOf(ids);
    }
}
