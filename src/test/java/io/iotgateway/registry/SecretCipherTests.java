package io.iotgateway.registry;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import io.iotgateway.StartupRefusedException;
import io.iotgateway.credential.DeviceId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SecretCipherTests {

    private static final DeviceId SHEEP = new DeviceId("a61QmwQD5ZF", "mosheep");

    private static final DeviceId GOAT = new DeviceId("a61QmwQD5ZF", "mogoat");

    private static final String SECRET = "3f6a0a1e9c2b4d7f8e5a6b1c2d3e4f50";

    private final MasterKey oldKey = randomKey();

    private final MasterKey newKey = randomKey();

    @Test
    void ciphertextIsNeitherTheSecretNorContainsItAndDecryptsBackToIt() {
        SecretCipher cipher = new SecretCipher(this.oldKey, List.of());

        SecretCipher.Sealed sealed = cipher.seal(SHEEP, SECRET);

        assertThat(sealed.keyId()).isEqualTo(this.oldKey.id());
        assertThat(sealed.ciphertext()).isNotEqualTo(SECRET).doesNotContain(SECRET);
        assertThat(new String(Base64.getDecoder().decode(sealed.ciphertext()), StandardCharsets.ISO_8859_1))
            .doesNotContain(SECRET);
        assertThat(cipher.seal(SHEEP, SECRET).ciphertext()).as("a fresh nonce each time")
            .isNotEqualTo(sealed.ciphertext());
        assertThat(cipher.open(SHEEP, sealed)).isEqualTo(SECRET);
    }

    @Test
    void everyAlteredByteIsDetected() {
        SecretCipher cipher = new SecretCipher(this.oldKey, List.of());
        byte[] sealed = Base64.getDecoder().decode(cipher.seal(SHEEP, SECRET).ciphertext());

        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            SecretCipher.Sealed altered = new SecretCipher.Sealed(this.oldKey.id(),
                    Base64.getEncoder().encodeToString(tampered));
            assertThatExceptionOfType(UnreadableSecretException.class).isThrownBy(() -> cipher.open(SHEEP, altered))
                .withMessageContaining("altered");
        }
    }

    @Test
    void ciphertextCopiedToAnotherDeviceDoesNotDecrypt() {
        SecretCipher cipher = new SecretCipher(this.oldKey, List.of());
        SecretCipher.Sealed sheeps = cipher.seal(SHEEP, SECRET);

        assertThatExceptionOfType(UnreadableSecretException.class).isThrownBy(() -> cipher.open(GOAT, sheeps))
            .withMessageContaining(GOAT.toString())
            .withMessageNotContaining(SECRET);
    }

    @Test
    void wrongKeyFailsLoudlyInsteadOfReturningGarbage() {
        SecretCipher.Sealed sealed = new SecretCipher(this.oldKey, List.of()).seal(SHEEP, SECRET);
        SecretCipher other = new SecretCipher(this.newKey, List.of());

        assertThatExceptionOfType(UnreadableSecretException.class).isThrownBy(() -> other.open(SHEEP, sealed))
            .withMessageContaining(this.oldKey.id() + ", which is not configured");
        // a different key presented under the stored key id: the GCM tag does not match
        SecretCipher.Sealed relabelled = new SecretCipher.Sealed(this.newKey.id(), sealed.ciphertext());
        assertThatExceptionOfType(UnreadableSecretException.class).isThrownBy(() -> other.open(SHEEP, relabelled))
            .withMessageContaining("does not decrypt with master key " + this.newKey.id());
    }

    @Test
    void afterRotationOldSecretsStayReadableAndNewOnesUseTheNewKey() {
        SecretCipher.Sealed beforeRotation = new SecretCipher(this.oldKey, List.of()).seal(SHEEP, SECRET);
        SecretCipher rotated = new SecretCipher(this.newKey, List.of(this.oldKey));

        assertThat(rotated.open(SHEEP, beforeRotation)).isEqualTo(SECRET);
        assertThat(rotated.seal(SHEEP, SECRET).keyId()).isEqualTo(this.newKey.id());
        assertThat(rotated.keyIds()).containsExactly(this.newKey.id(), this.oldKey.id());
    }

    @Test
    void keyIdIsAStableFingerprintThatRevealsNoKeyMaterial() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String base64 = Base64.getEncoder().encodeToString(bytes);

        MasterKey key = MasterKey.parse(base64, "test");

        assertThat(key.id()).matches("[0-9a-f]{16}").isEqualTo(MasterKey.of(bytes.clone()).id());
        assertThat(key.id()).isNotEqualTo(this.oldKey.id());
        assertThat(base64).doesNotContain(key.id());
        assertThat(key.toString()).doesNotContain(base64).contains(key.id());
    }

    @Test
    void malformedKeysAreRefusedWithoutShowingThem() {
        String shortKey = Base64.getEncoder().encodeToString("sixteen byte key".getBytes(StandardCharsets.US_ASCII));

        assertThatIllegalStateException().isThrownBy(() -> MasterKey.parse(shortKey, "gateway.registry.master-key"))
            .withMessageContaining("gateway.registry.master-key decodes to 16 bytes")
            .withMessageNotContaining(shortKey);
        assertThatExceptionOfType(StartupRefusedException.class)
            .isThrownBy(() -> MasterKey.parse("not base64!", "the key file"))
            .withMessage("the key file is not base64.")
            .satisfies(refused -> assertThat(refused.action()).contains("openssl rand -base64 32"));
    }

    static MasterKey randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return MasterKey.of(bytes);
    }
}
