package io.iotgateway.credential;

import java.util.regex.Pattern;

/**
 * A device's identity on the platform: its product key and device name.
 *
 * @param productKey the product the device belongs to, e.g. {@code a61QmwQD5ZF}
 * @param deviceName the device's name within the product, e.g. {@code mosheep}
 */
public record DeviceId(String productKey, String deviceName) implements Comparable<DeviceId> {

    // Platform rules: product keys are short alphanumeric ids; device names are 4-32 characters of
    // letters, digits and -_@.:
    private static final Pattern PRODUCT_KEY = Pattern.compile("[A-Za-z0-9]{1,32}");

    private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9_\\-@.:]{4,32}");

    public DeviceId {
        if (!isValidProductKey(productKey)) {
            throw new IllegalArgumentException("productKey must be 1-32 letters or digits");
        }
        if (!isValidDeviceName(deviceName)) {
            throw new IllegalArgumentException("deviceName must be 4-32 characters of letters, digits and -_@.:");
        }
    }

    public static boolean isValidProductKey(String productKey) {
        return productKey != null && PRODUCT_KEY.matcher(productKey).matches();
    }

    public static boolean isValidDeviceName(String deviceName) {
        return deviceName != null && DEVICE_NAME.matcher(deviceName).matches();
    }

    /** The client id the Alibaba SDKs use by default: {@code productKey.deviceName}. */
    public String defaultClientId() {
        return this.productKey + "." + this.deviceName;
    }

    /** The MQTT user name the platform expects: {@code deviceName&productKey}. */
    public String mqttUsername() {
        return this.deviceName + "&" + this.productKey;
    }

    @Override
    public int compareTo(DeviceId other) {
        int byProduct = this.productKey.compareTo(other.productKey);
        return (byProduct != 0) ? byProduct : this.deviceName.compareTo(other.deviceName);
    }

    @Override
    public String toString() {
        return this.productKey + "/" + this.deviceName;
    }
}
