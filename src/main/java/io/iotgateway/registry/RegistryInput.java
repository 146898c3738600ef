package io.iotgateway.registry;

import io.iotgateway.credential.DeviceId;
import org.jspecify.annotations.Nullable;

/**
 * The rules a device must meet to enter the registry. Each check returns what is wrong, in words an operator can
 * act on, or {@code null}; no message ever repeats a secret.
 */
public final class RegistryInput {

    /** Longest secret accepted; platform-issued secrets are 32 characters. */
    public static final int MAX_SECRET_LENGTH = 128;

    /** Longest operator note accepted. */
    public static final int MAX_DESCRIPTION_LENGTH = 256;

    private RegistryInput() {
    }

    public static @Nullable String idProblem(@Nullable String productKey, @Nullable String deviceName) {
        if (!DeviceId.isValidProductKey(productKey)) {
            return "ProductKey must be " + DeviceId.PRODUCT_KEY_RULE + got(productKey);
        }
        if (!DeviceId.isValidDeviceName(deviceName)) {
            return "DeviceName must be " + DeviceId.DEVICE_NAME_RULE + got(deviceName);
        }
        return null;
    }

    public static @Nullable String secretProblem(@Nullable String secret) {
        if (secret == null || secret.isEmpty()) {
            return "DeviceSecret is missing or empty";
        }
        if (secret.length() > MAX_SECRET_LENGTH) {
            return "DeviceSecret is longer than " + MAX_SECRET_LENGTH + " characters";
        }
        if (secret.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return "DeviceSecret contains spaces or control characters";
        }
        return null;
    }

    public static @Nullable String descriptionProblem(@Nullable String description) {
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            return "description is longer than " + MAX_DESCRIPTION_LENGTH + " characters";
        }
        return null;
    }

    // the length only: a misplaced column could put a secret where a name belongs
    private static String got(@Nullable String value) {
        return (value == null || value.isEmpty()) ? " (it is empty)" : " (got " + value.length() + " characters)";
    }
}
