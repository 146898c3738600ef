package io.iotgateway.registry;

import java.util.List;

import io.iotgateway.credential.DeviceTriple;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Devices the gateway publishes for, from configuration (for example a Kubernetes Secret mounted as environment
 * variables {@code GATEWAY_DEVICES_0_PRODUCT_KEY}, ...).
 *
 * @param devices the device triples
 */
@Validated
@ConfigurationProperties("gateway")
public record DevicesProperties(@DefaultValue @Valid List<ConfiguredDevice> devices) {

    /**
     * One device triple.
     *
     * @param productKey the device's product key
     * @param deviceName the device's name
     * @param deviceSecret the device's secret, as the platform issued it
     */
    public record ConfiguredDevice(@NotBlank String productKey, @NotBlank String deviceName,
            @NotBlank String deviceSecret) {

        DeviceTriple toTriple() {
            return new DeviceTriple(this.productKey, this.deviceName, this.deviceSecret);
        }

        @Override
        public String toString() {
            return "ConfiguredDevice[" + this.productKey + "/" + this.deviceName + "]";
        }
    }
}
