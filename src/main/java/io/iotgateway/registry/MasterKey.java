package io.iotgateway.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.iotgateway.StartupRefusedException;

/**
 * One AES-256 master key and its id. The id is a fingerprint of the key (truncated SHA-256 over a fixed label and
 * the key), so operators never name keys, a row always says which key encrypted it, and a wrong key is recognised
 * before any decryption is attempted.
 */
final class MasterKey {

    static final int BYTES = 32;

    private static final String GENERATE_KEY = "Generate a master key with: openssl rand -base64 32 (docs/registry.md).";

    private static final byte[] ID_LABEL = "iot-gateway device registry master key\0".getBytes(StandardCharsets.UTF_8);

    private final String id;

    private final SecretKey key;

    private MasterKey(byte[] key) {
        if (key.length != BYTES) {
            throw new IllegalArgumentException("a master key has " + BYTES + " bytes, not " + key.length);
        }
        this.id = fingerprint(key);
        this.key = new SecretKeySpec(key, "AES");
    }

    static MasterKey of(byte[] key) {
        return new MasterKey(key);
    }

    /**
     * Parses a base64 key. The message of a failure names where the key came from, never the key.
     * @param origin where the text came from, e.g. {@code gateway.registry.master-key}
     */
    static MasterKey parse(String base64, String origin) {
        byte[] key;
        try {
            key = Base64.getMimeDecoder().decode(base64.strip());
        }
        catch (IllegalArgumentException ex) {
            throw new StartupRefusedException(origin + " is not base64.", GENERATE_KEY);
        }
        if (key.length != BYTES) {
            throw new StartupRefusedException(origin + " decodes to " + key.length + " bytes; an AES-256 master key has "
                    + BYTES + ".", GENERATE_KEY);
        }
        return new MasterKey(key);
    }

    String id() {
        return this.id;
    }

    SecretKey key() {
        return this.key;
    }

    private static String fingerprint(byte[] key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(ID_LABEL);
            byte[] digest = sha256.digest(key);
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + this.id + "]";
    }
}
