package io.iotgateway.registry;

import java.util.List;
import java.util.Map;

import io.iotgateway.StartupRefusedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs at start, before anything reads the registry: every key that encrypted a stored secret must be configured,
 * and must decrypt one of its secrets (AES-GCM authenticates, so a wrong key cannot yield a wrong secret; it fails
 * here, loudly, instead of at a device's login).
 */
final class MasterKeyCheck {

    private static final Log log = LogFactory.getLog(MasterKeyCheck.class);

    private MasterKeyCheck() {
    }

    static void verify(JdbcDeviceStore store, SecretCipher cipher) {
        Map<String, Long> counts = store.countByKeyId();
        List<String> unknown = counts.keySet().stream().filter(id -> !cipher.keyIds().contains(id)).toList();
        if (!unknown.isEmpty()) {
            long devices = unknown.stream().mapToLong(counts::get).sum();
            throw new StartupRefusedException("The device registry holds " + devices + " device secret(s) encrypted "
                    + "with master key(s) " + unknown + ", but the configured keys are " + cipher.keyIds() + ".",
                    "Configure the key they were encrypted with (gateway.registry.master-key, or gateway.registry."
                            + "previous-master-keys during a rotation); see docs/registry.md.");
        }
        for (String keyId : counts.keySet()) {
            store.anyUnderKey(keyId).ifPresent(row -> {
                try {
                    cipher.open(row.id(), row.sealed());
                }
                catch (UnreadableSecretException ex) {
                    throw new StartupRefusedException("Master key check failed: " + ex.getMessage(), "Configure the "
                            + "key the registry's secrets were encrypted with; see docs/registry.md.", ex);
                }
            });
        }
        report(counts, cipher);
    }

    private static void report(Map<String, Long> counts, SecretCipher cipher) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        log.info("Device registry: " + total + " device(s); secrets are encrypted with master key "
                + cipher.currentKeyId());
        long onOlderKeys = total - counts.getOrDefault(cipher.currentKeyId(), 0L);
        if (onOlderKeys > 0) {
            log.warn(onOlderKeys + " device secret(s) are still encrypted with previous master keys; re-encrypt them "
                    + "(POST /api/v1/admin/registry/re-encrypt) before removing those keys");
        }
    }
}
