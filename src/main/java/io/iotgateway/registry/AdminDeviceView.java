package io.iotgateway.registry;

import java.time.Instant;

import io.iotgateway.device.DeviceView;
import io.iotgateway.mqtt.ConnectionStatus;
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
 * @param connection the state of its MQTT connection
 */
record AdminDeviceView(String productKey, String deviceName, DeviceSource source, @Nullable String description,
        @Nullable String keyId, @Nullable Instant createdAt, @Nullable Instant updatedAt,
        DeviceView.Connection connection) {

    static AdminDeviceView of(RegisteredDevice device, ConnectionStatus status) {
        return new AdminDeviceView(device.id().productKey(), device.id().deviceName(), device.source(),
                device.description(), device.keyId(), device.createdAt(), device.updatedAt(),
                DeviceView.of(status).connection());
    }
}
