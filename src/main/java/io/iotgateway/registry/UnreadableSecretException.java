package io.iotgateway.registry;

/**
 * A stored device secret cannot be decrypted: its master key is not configured, or the stored value was altered
 * (the AES-GCM tag does not match). The message names the device and key id, never key material or ciphertext.
 */
public class UnreadableSecretException extends IllegalStateException {

    UnreadableSecretException(String message) {
        super(message);
    }

    UnreadableSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
