package io.iotgateway.registry;

import java.time.Instant;

import io.iotgateway.credential.DeviceId;
import org.jspecify.annotations.Nullable;

/**
 * What the registry tells about a device: never its secret.
 *
 * @param id the device
 * @param source configuration or the registry
 * @param description the operator's note (registry devices only)
 * @param keyId the id of the master key that encrypts its secret (registry devices only)
 * @param createdAt when it was added (registry devices only)
 * @param updatedAt when its secret or note last changed (registry devices only)
 */
public record RegisteredDevice(DeviceId id, DeviceSource source, @Nullable String description,
        @Nullable String keyId, @Nullable Instant createdAt, @Nullable Instant updatedAt) {

    static RegisteredDevice configured(DeviceId id) {
        return new RegisteredDevice(id, DeviceSource.CONFIGURATION, null, null, null, null);
    }

    static RegisteredDevice of(StoredDevice row) {
        return new RegisteredDevice(row.id(), DeviceSource.REGISTRY, row.description(), row.sealed().keyId(),
                row.createdAt(), row.updatedAt());
    }
}
