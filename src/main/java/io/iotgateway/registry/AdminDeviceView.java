package io.iotgateway.registry;

import java.time.Instant;

import io.iotgateway.device.DeviceView;
import org.jspecify.annotations.Nullable;

/**
 * A device as the admin API shows it: where it comes from, its note, its key and its connection; never its secret.
 *
 * @param productKey the device's product key
 * @param deviceName the device's name
 * @param source {@code CONFIGURATION} (gateway.devices or the emulator's demo device; read-only here) or
 * {@code REGISTRY}
 * @param description the operator's note
 * @param keyId id of the master key that encrypts its stored secret (registry devices)
 * @param createdAt when it was added to the registry
 * @param updatedAt when its secret or note last changed
 * @param owner the replica that owns the device (in a cluster; a single gateway names itself)
 * @param connection the state of its MQTT connection; {@code null} when another replica of a cluster owns the
 * device ({@code GET /api/v1/devices/{productKey}/{deviceName}} asks the owner)
 */
record AdminDeviceView(String productKey, String deviceName, DeviceSource source, @Nullable String description,
        @Nullable String keyId, @Nullable Instant createdAt, @Nullable Instant updatedAt, @Nullable String owner,
        DeviceView.@Nullable Connection connection) {

    static AdminDeviceView of(RegisteredDevice device, DeviceView view) {
        return new AdminDeviceView(device.id().productKey(), device.id().deviceName(), device.source(),
                device.description(), device.keyId(), device.createdAt(), device.updatedAt(), view.owner(),
                view.connection());
    }
}
