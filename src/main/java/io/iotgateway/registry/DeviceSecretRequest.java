package io.iotgateway.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PUT /api/v1/admin/devices/{productKey}/{deviceName}}.
 *
 * @param deviceSecret the device's secret as the platform issued it; write-only, never returned
 * @param description an optional note for operators (at most 256 characters)
 */
record DeviceSecretRequest(
        @Schema(description = "The DeviceSecret the platform issued; write-only", example = "your-device-secret",
                accessMode = Schema.AccessMode.WRITE_ONLY, requiredMode = Schema.RequiredMode.REQUIRED)
        @Nullable String deviceSecret,
        @Schema(description = "A note for operators", example = "barn 3, north wall", maxLength = 256)
        @Nullable String description) {

    // Spring logs request bodies at DEBUG through toString
    @Override
    public String toString() {
        return "DeviceSecretRequest[deviceSecret=******, description=" + this.description + "]";
    }
}
