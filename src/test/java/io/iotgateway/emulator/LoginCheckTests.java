package io.iotgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.credential.MqttConnectCredentials;
import io.iotgateway.credential.SecureMode;
import io.iotgateway.credential.SignMethod;
import io.iotgateway.registry.InMemoryCredentialService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LoginCheckTests {

    private static final DeviceTriple SHEEP = new DeviceTriple("a61QmwQD5ZF", "mosheep", "s3cr3t-of-the-sheep");

    // Alibaba's own example (doc 73742): hmacsha1 over clientId12345deviceNamedeviceproductKeypktimestamp789
    private static final DeviceTriple DOC_DEVICE = new DeviceTriple("pk", "device", "secret");

    private static final String DOC_PASSWORD = "FAFD82A3D602B37FB0FA8B7892F24A477F851A14";

    private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:15:30Z"), ZoneOffset.UTC);

    private final LoginCheck check = new LoginCheck(new InMemoryCredentialService(List.of(SHEEP, DOC_DEVICE)));

    @ParameterizedTest
    @EnumSource(SignMethod.class)
    void acceptsLoginSignedWithEverySignMethod(SignMethod method) {
        MqttConnectCredentials login = sign(SHEEP, method);

        assertThat(check(login.clientId(), login.username(), login.password()))
            .isEqualTo(new LoginCheck.Verdict.Accepted(SHEEP.id()));
    }

    @Test
    void acceptsAlibabaDocumentationExampleInUppercaseHex() {
        String clientId = "12345|securemode=3,signmethod=hmacsha1,timestamp=789|";

        assertThat(check(clientId, "device&pk", DOC_PASSWORD))
            .isEqualTo(new LoginCheck.Verdict.Accepted(DOC_DEVICE.id()));
    }

    @Test
    void acceptsUppercaseHexPassword() {
        MqttConnectCredentials login = sign(SHEEP, SignMethod.HMACSHA256);

        assertThat(check(login.clientId(), login.username(), login.password().toUpperCase(Locale.ROOT)))
            .isInstanceOf(LoginCheck.Verdict.Accepted.class);
    }

    @Test
    void acceptsParametersInAnyOrderWithExtraKeysAndTrailingComma() {
        String clientId = "12345|timestamp=789,_v=sdk-c-4.0.0,signmethod=hmacsha1,ext=3,securemode=3,|";

        assertThat(check(clientId, "device&pk", DOC_PASSWORD)).isInstanceOf(LoginCheck.Verdict.Accepted.class);
    }

    @Test
    void acceptsClientIdWithoutTimestampWhenPasswordSignsNone() {
        String password = AliyunMqttSigner.password("secret", "12345", "device", "pk", null, SignMethod.HMACSHA1);

        assertThat(check("12345|securemode=3,signmethod=hmacsha1|", "device&pk", password))
            .isInstanceOf(LoginCheck.Verdict.Accepted.class);
    }

    @Test
    void refusesWrongPasswordWithoutRevealingIt() {
        MqttConnectCredentials login = sign(SHEEP, SignMethod.HMACSHA1);
        String wrong = AliyunMqttSigner.password("other-secret", SHEEP.id().defaultClientId(), "mosheep",
                "a61QmwQD5ZF", Long.toString(this.clock.millis()), SignMethod.HMACSHA1);

        LoginCheck.Verdict verdict = check(login.clientId(), login.username(), wrong);

        assertThat(verdict).isInstanceOfSatisfying(LoginCheck.Verdict.Refused.class, (refused) -> assertThat(
                refused.reason()).contains("password").doesNotContain(wrong).doesNotContain(SHEEP.deviceSecret()));
    }

    @Test
    void refusesPasswordSignedForAnotherTimestamp() {
        MqttConnectCredentials login = sign(SHEEP, SignMethod.HMACSHA1);
        String otherClientId = login.clientId().replace("timestamp=" + this.clock.millis(), "timestamp=1");

        assertThat(check(otherClientId, login.username(), login.password()))
            .isInstanceOf(LoginCheck.Verdict.Refused.class);
    }

    @Test
    void refusesMissingPassword() {
        MqttConnectCredentials login = sign(SHEEP, SignMethod.HMACSHA1);

        assertThat(this.check.check(login.clientId(), login.username(), null))
            .isEqualTo(new LoginCheck.Verdict.Refused("no password"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "mosheep", "mosheep a61QmwQD5ZF", "mosheep&", "&a61QmwQD5ZF", "mo&a61QmwQD5ZF" })
    void refusesUsernameThatIsNotDeviceNameAndProductKey(String username) {
        MqttConnectCredentials login = sign(SHEEP, SignMethod.HMACSHA1);

        assertThat(check(login.clientId(), username, login.password()))
            .isEqualTo(new LoginCheck.Verdict.Refused("username must be deviceName&productKey"));
    }

    @Test
    void refusesUnknownDevice() {
        DeviceTriple stranger = new DeviceTriple("a61QmwQD5ZF", "stranger", "whatever");
        MqttConnectCredentials login = sign(stranger, SignMethod.HMACSHA1);

        assertThat(check(login.clientId(), login.username(), login.password()))
            .isEqualTo(new LoginCheck.Verdict.Refused("unknown device a61QmwQD5ZF/stranger"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "12345", "12345|securemode=3,signmethod=hmacsha1", "12345|",
            "|securemode=3,signmethod=hmacsha1,timestamp=789|", "12345|signmethod=hmacsha1,timestamp=789|",
            "12345|securemode=3,timestamp=789|", "12345|securemode=3,signmethod=sha512,timestamp=789|",
            "12345|securemode=three,signmethod=hmacsha1,timestamp=789|",
            "12345|securemode=3,signmethod=hmacsha1,timestamp=78x|",
            "12345|securemode=3,securemode=3,signmethod=hmacsha1,timestamp=789|",
            "12345|securemode=3,signmethod=hmacsha1,timestamp=789,bogus|",
            "12345|securemode=3|signmethod=hmacsha1,timestamp=789|" })
    void refusesClientIdNotInPlatformFormat(String clientId) {
        assertThat(check(clientId, "device&pk", DOC_PASSWORD)).isInstanceOf(LoginCheck.Verdict.Refused.class);
    }

    @Test
    void refusesSecureMode2BecauseTheEmulatorIsPlainTcp() {
        MqttConnectCredentials login = new AliyunMqttSigner(this.clock).sign(SHEEP, "cid", SignMethod.HMACSHA1,
                SecureMode.TLS);

        assertThat(check(login.clientId(), login.username(), login.password()))
            .isInstanceOfSatisfying(LoginCheck.Verdict.Refused.class,
                    (refused) -> assertThat(refused.reason()).contains("securemode=2", "TLS", "securemode=3"));
    }

    @Test
    void refusesClientIdPartLongerThan64Characters() {
        MqttConnectCredentials login = new AliyunMqttSigner(this.clock).sign(SHEEP, "c".repeat(65),
                SignMethod.HMACSHA1, SecureMode.TCP);

        assertThat(check(login.clientId(), login.username(), login.password()))
            .isInstanceOfSatisfying(LoginCheck.Verdict.Refused.class,
                    (refused) -> assertThat(refused.reason()).contains("65", "64"));
    }

    @Test
    void acceptsClientIdPartOfExactly64Characters() {
        MqttConnectCredentials login = new AliyunMqttSigner(this.clock).sign(SHEEP, "c".repeat(64),
                SignMethod.HMACSHA1, SecureMode.TCP);

        assertThat(check(login.clientId(), login.username(), login.password()))
            .isInstanceOf(LoginCheck.Verdict.Accepted.class);
    }

    @Test
    void parsesEveryPartOfTheClientId() {
        assertThat(PlatformClientId.parse("a61QmwQD5ZF.mosheep|_v=paho-java-1.0.0,signmethod=HmacSHA256,"
                + "securemode=3,timestamp=1714557330000|"))
            .isEqualTo(new PlatformClientId("a61QmwQD5ZF.mosheep", 3, SignMethod.HMACSHA256, "1714557330000"));
    }

    @Test
    void findsDeviceOnlyInDeviceNameAndProductKeyUsername() {
        assertThat(LoginCheck.deviceOf("mosheep&a61QmwQD5ZF")).isEqualTo(new DeviceId("a61QmwQD5ZF", "mosheep"));
        assertThat(LoginCheck.deviceOf(null)).isNull();
        assertThat(LoginCheck.deviceOf("mosheep&a61QmwQD5ZF&x")).isNull();
    }

    private MqttConnectCredentials sign(DeviceTriple device, SignMethod method) {
        return new AliyunMqttSigner(this.clock).sign(device, device.id().defaultClientId(), method, SecureMode.TCP);
    }

    private LoginCheck.Verdict check(String clientId, String username, String password) {
        return this.check.check(clientId, username, password.getBytes(StandardCharsets.UTF_8));
    }
}
