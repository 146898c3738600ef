package io.iotgateway.credential;

/**
 * A product key or device name that breaks the platform's rules. Its message states the rule and the lengths that
 * broke it, never the text itself (a misplaced column could put a secret where a name belongs); the web layer
 * answers it with {@code 400 invalid-device}.
 */
public final class InvalidDeviceIdException extends IllegalArgumentException {

    InvalidDeviceIdException(String message) {
        super(message);
    }
}
