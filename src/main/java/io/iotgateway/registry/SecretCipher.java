package io.iotgateway.registry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import io.iotgateway.credential.DeviceId;

/**
 * Encrypts device secrets with AES-256-GCM under the current master key and decrypts them under any configured
 * key. Each secret gets a fresh random 96-bit nonce, and the device's id is authenticated with it (GCM associated
 * data), so a ciphertext copied onto another device's row fails to decrypt like any other tampering.
 */
final class SecretCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private static final int NONCE_BYTES = 12;

    private static final int TAG_BITS = 128;

    private static final SecureRandom random = new SecureRandom();

    private final MasterKey current;

    private final Map<String, MasterKey> keys = new LinkedHashMap<>();

    SecretCipher(MasterKey current, List<MasterKey> previous) {
        this.current = current;
        this.keys.put(current.id(), current);
        previous.forEach(key -> this.keys.putIfAbsent(key.id(), key));
    }

    String currentKeyId() {
        return this.current.id();
    }

    /** Ids of every key this cipher can decrypt with, the current one first. */
    Set<String> keyIds() {
        return this.keys.keySet();
    }

    Sealed seal(DeviceId device, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, this.current, nonce, device);
            byte[] encrypted = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = ByteBuffer.allocate(NONCE_BYTES + encrypted.length).put(nonce).put(encrypted).array();
            return new Sealed(this.current.id(), Base64.getEncoder().encodeToString(sealed));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM encryption failed", ex);
        }
    }

    /** @throws UnreadableSecretException when the key is not configured or the value was altered */
    String open(DeviceId device, Sealed sealed) {
        MasterKey key = this.keys.get(sealed.keyId());
        if (key == null) {
            throw new UnreadableSecretException("The secret of device " + device + " is encrypted with master key "
                    + sealed.keyId() + ", which is not configured (configured: " + this.keys.keySet() + ")");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
            if (bytes.length <= NONCE_BYTES) {
                throw new AEADBadTagException("too short");
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(bytes, NONCE_BYTES), device);
            byte[] secret = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(secret, StandardCharsets.UTF_8);
        }
        catch (AEADBadTagException | IllegalArgumentException ex) {
            throw new UnreadableSecretException("The stored secret of device " + device + " does not decrypt with "
                    + "master key " + key.id() + ": the key is wrong or the stored value was altered");
        }
        catch (GeneralSecurityException ex) {
            throw new UnreadableSecretException("AES-GCM decryption failed for device " + device, ex);
        }
    }

    private static Cipher cipher(int mode, MasterKey key, byte[] nonce, DeviceId device)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(device.toString().getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /**
     * An encrypted secret as stored.
     *
     * @param keyId the id of the master key that encrypted it
     * @param ciphertext base64 of the nonce followed by the AES-GCM ciphertext and tag
     */
    record Sealed(String keyId, String ciphertext) {
    }
}
