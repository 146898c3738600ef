package io.iotgateway.registry;

import java.time.Instant;

import io.iotgateway.credential.DeviceId;
import org.jspecify.annotations.Nullable;

/**
 * A registry row: the device, its encrypted secret and what the operator noted about it.
 *
 * @param id the device
 * @param sealed the encrypted secret and the id of its key
 * @param description the operator's note, if any
 * @param createdAt when the device was added
 * @param updatedAt when its secret or note last changed
 */
record StoredDevice(DeviceId id, SecretCipher.Sealed sealed, @Nullable String description, Instant createdAt,
        Instant updatedAt) {
}
