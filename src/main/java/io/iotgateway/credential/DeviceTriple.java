package io.iotgateway.credential;

/**
 * The credentials of one device as the platform issues them: product key, device name and device secret.
 *
 * @param id the device's product key and name
 * @param deviceSecret the secret the platform issued for the device; never logged or returned
 */
public record DeviceTriple(DeviceId id, String deviceSecret) {

    public DeviceTriple {
        if (deviceSecret == null || deviceSecret.isBlank()) {
            throw new IllegalArgumentException("deviceSecret of " + id + " must not be empty");
        }
    }

    public DeviceTriple(String productKey, String deviceName, String deviceSecret) {
        this(new DeviceId(productKey, deviceName), deviceSecret);
    }

    @Override
    public String toString() {
        return "DeviceTriple[" + this.id + ", deviceSecret=******]";
    }
}
