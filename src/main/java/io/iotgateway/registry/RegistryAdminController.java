package io.iotgateway.registry;

import io.iotgateway.web.GatewayRoutes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The registry's master keys: which key encrypts how many secrets, and re-encryption after a key rotation.
 */
@RestController
@RequestMapping(GatewayRoutes.ADMIN_PATH + "/registry")
@Tag(name = "Admin: registry", description = "Master key rotation (admin role)")
class RegistryAdminController {

    private final KeyRotation rotation;

    RegistryAdminController(KeyRotation rotation) {
        this.rotation = rotation;
    }

    @GetMapping
    @Operation(summary = "Show the master keys and how many device secrets each encrypts")
    KeyRotation.KeyStatus status() {
        return this.rotation.status();
    }

    @PostMapping(path = "/re-encrypt", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Re-encrypt every secret under an older master key with the current one",
            description = "Online and repeatable; afterwards the previous keys can be removed from the configuration.")
    ReEncryptionReport reEncrypt() {
        int reEncrypted = this.rotation.reEncrypt();
        return new ReEncryptionReport(reEncrypted, this.rotation.status());
    }

    /**
     * The result of a re-encryption.
     *
     * @param reEncrypted how many secrets were re-encrypted now
     * @param status the keys afterwards
     */
    record ReEncryptionReport(int reEncrypted, KeyRotation.KeyStatus status) {
    }
}
