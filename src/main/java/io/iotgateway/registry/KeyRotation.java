package io.iotgateway.registry;

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Master key rotation: which key encrypts how many secrets, and the online re-encryption of every secret under
 * an older key with the current one. Re-encryption works row by row with a compare-and-set update, so requests,
 * admin changes and other gateways carry on meanwhile, and it can be repeated at any time.
 */
public class KeyRotation {

    private static final Log log = LogFactory.getLog(KeyRotation.class);

    private static final int BATCH = 200;

    private final JdbcDeviceStore store;

    private final SecretCipher cipher;

    KeyRotation(JdbcDeviceStore store, SecretCipher cipher) {
        this.store = store;
        this.cipher = cipher;
    }

    public KeyStatus status() {
        Map<String, Long> counts = this.store.countByKeyId();
        String current = this.cipher.currentKeyId();
        long onOlderKeys = counts.entrySet()
            .stream()
            .filter(entry -> !entry.getKey().equals(current))
            .mapToLong(Map.Entry::getValue)
            .sum();
        return new KeyStatus(current, List.copyOf(this.cipher.keyIds()), counts, onOlderKeys);
    }

    /**
     * Re-encrypts every secret that an older key encrypted with the current key.
     * @return how many secrets were re-encrypted
     * @throws UnreadableSecretException when a secret's key is not configured here
     */
    public int reEncrypt() {
        String current = this.cipher.currentKeyId();
        int reEncrypted = 0;
        List<StoredDevice> batch = this.store.notUnderKey(current, BATCH);
        while (!batch.isEmpty()) {
            for (StoredDevice row : batch) {
                String secret = this.cipher.open(row.id(), row.sealed());
                // a row changed meanwhile was written with the current key: nothing to do for it
                if (this.store.reseal(row.id(), row.sealed(), this.cipher.seal(row.id(), secret))) {
                    reEncrypted++;
                }
            }
            batch = this.store.notUnderKey(current, BATCH);
        }
        log.info("Re-encrypted " + reEncrypted + " device secret(s) with master key " + current);
        return reEncrypted;
    }

    /**
     * The registry's keys.
     *
     * @param currentKeyId the key new and changed secrets are encrypted with
     * @param configuredKeyIds every configured key, current first
     * @param devicesByKeyId how many secrets each key encrypted
     * @param devicesOnOlderKeys how many secrets still need re-encryption before older keys can be removed
     */
    public record KeyStatus(String currentKeyId, List<String> configuredKeyIds, Map<String, Long> devicesByKeyId,
            long devicesOnOlderKeys) {
    }
}
