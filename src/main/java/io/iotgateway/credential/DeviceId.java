package io.iotgateway.credential;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A device's identity on the platform: its product key and device name.
 *
 * @param productKey the product the device belongs to, e.g. {@code a61QmwQD5ZF}
 * @param deviceName the device's name within the product, e.g. {@code mosheep}
 */
public record DeviceId(String productKey, String deviceName) implements Comparable<DeviceId> {

    /** The platform's rule for product keys, in the words every answer and report uses. */
    public static final String PRODUCT_KEY_RULE = "1-32 letters or digits";

    /** The platform's rule for device names, in the words every answer and report uses. */
    public static final String DEVICE_NAME_RULE = "4-32 characters of letters, digits and -_@.:";

    private static final Pattern PRODUCT_KEY = Pattern.compile("[A-Za-z0-9]{1,32}");

    private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9_\\-@.:]{4,32}");

    /** @throws InvalidDeviceIdException when either part breaks its rule */
    public DeviceId {
        if (!isValidProductKey(productKey)) {
            throw new InvalidDeviceIdException("productKey must be " + PRODUCT_KEY_RULE);
        }
        if (!isValidDeviceName(deviceName)) {
            throw new InvalidDeviceIdException("deviceName must be " + DEVICE_NAME_RULE);
        }
    }

    /**
     * The device a caller named, e.g. in a request path.
     * @throws InvalidDeviceIdException naming both rules and the lengths it got
     */
    public static DeviceId parse(@Nullable String productKey, @Nullable String deviceName) {
        if (!isValidProductKey(productKey) || !isValidDeviceName(deviceName)) {
            throw new InvalidDeviceIdException("A product key is " + PRODUCT_KEY_RULE + " and a device name "
                    + DEVICE_NAME_RULE + " (got " + length(productKey) + " and " + length(deviceName)
                    + " characters).");
        }
        return new DeviceId(productKey, deviceName);
    }

    /**
     * A product key a caller named on its own, e.g. to filter a list.
     * @throws InvalidDeviceIdException when it breaks the rule
     */
    public static String parseProductKey(@Nullable String productKey) {
        if (!isValidProductKey(productKey)) {
            throw new InvalidDeviceIdException("productKey must be " + PRODUCT_KEY_RULE + ".");
        }
        return productKey;
    }

    public static boolean isValidProductKey(@Nullable String productKey) {
        return productKey != null && PRODUCT_KEY.matcher(productKey).matches();
    }

    public static boolean isValidDeviceName(@Nullable String deviceName) {
        return deviceName != null && DEVICE_NAME.matcher(deviceName).matches();
    }

    private static int length(@Nullable String text) {
        return (text != null) ? text.length() : 0;
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
