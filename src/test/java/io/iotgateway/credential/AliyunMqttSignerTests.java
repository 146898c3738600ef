package io.iotgateway.credential;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AliyunMqttSignerTests {

    @Test
    void passwordMatchesAlibabaDocumentationVectorForHmacSha1() {
        // doc 73742: "clientId12345deviceNamedeviceproductKeypktimestamp789" signed with "secret"
        assertThat(AliyunMqttSigner.password("secret", "12345", "device", "pk", "789", SignMethod.HMACSHA1))
            .isEqualToIgnoringCase("FAFD82A3D602B37FB0FA8B7892F24A477F851A14");
    }

    @Test
    void passwordMatchesAlibabaDocumentationVectorForHmacMd5() {
        // BatchAddThingTopo doc (145672): same content rule
        assertThat(AliyunMqttSigner.password("1234", "868575026974305", "868575026974305", "a1PB5fp1234",
                "1646277090411", SignMethod.HMACMD5))
            .isEqualToIgnoringCase("3BA0DFA4C477B40C007D84D30D6466CC");
    }

    @ParameterizedTest
    @CsvSource({ "HMACMD5, 14b198324fe55e1d3c88f2e705e201ee",
            "HMACSHA256, 6074a46a91b1ebb2cc4ea42790ad0e80202c9843859fc292e57c4eb19fad9e57" })
    void passwordMatchesIndependentlyComputedVectors(SignMethod method, String expected) {
        // computed with python3's hmac module over the doc 73742 inputs
        assertThat(AliyunMqttSigner.password("secret", "12345", "device", "pk", "789", method)).isEqualTo(expected);
    }

    @Test
    void passwordWithoutTimestampLeavesItOutOfTheSignedContent() {
        assertThat(AliyunMqttSigner.password("secret", "12345", "device", "pk", null, SignMethod.HMACSHA1))
            .isEqualTo("3504e4df7ce4766d30f796ee973c9ce7fc5425cb");
    }

    @Test
    void signBuildsClientIdUsernameAndPasswordOverTheClockTimestamp() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);
        DeviceTriple device = new DeviceTriple("a61QmwQD5ZF", "mosheep", "s3cr3t");

        MqttConnectCredentials credentials = new AliyunMqttSigner(clock).sign(device, "a61QmwQD5ZF.mosheep",
                SignMethod.HMACSHA1, SecureMode.TCP);

        assertThat(credentials.clientId())
            .isEqualTo("a61QmwQD5ZF.mosheep|securemode=3,signmethod=hmacsha1,timestamp=1700000000123|");
        assertThat(credentials.username()).isEqualTo("mosheep&a61QmwQD5ZF");
        assertThat(credentials.password()).isEqualTo(AliyunMqttSigner.password("s3cr3t", "a61QmwQD5ZF.mosheep",
                "mosheep", "a61QmwQD5ZF", "1700000000123", SignMethod.HMACSHA1));
    }

    @Test
    void signTakesAFreshTimestampEveryTime() {
        Instant[] now = { Instant.ofEpochMilli(1000) };
        Clock ticking = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now[0] = now[0].plusMillis(1);
                return now[0];
            }
        };
        AliyunMqttSigner signer = new AliyunMqttSigner(ticking);
        DeviceTriple device = new DeviceTriple("pk", "device", "secret");

        MqttConnectCredentials first = signer.sign(device, "cid", SignMethod.HMACSHA256, SecureMode.TLS);
        MqttConnectCredentials second = signer.sign(device, "cid", SignMethod.HMACSHA256, SecureMode.TLS);

        assertThat(first.clientId()).isEqualTo("cid|securemode=2,signmethod=hmacsha256,timestamp=1001|");
        assertThat(second.clientId()).isEqualTo("cid|securemode=2,signmethod=hmacsha256,timestamp=1002|");
        assertThat(first.password()).isNotEqualTo(second.password());
    }

    @Test
    void secretsStayOutOfToString() {
        DeviceTriple device = new DeviceTriple("pk", "device", "top-secret-value");
        MqttConnectCredentials credentials = new AliyunMqttSigner(Clock.systemUTC()).sign(device, "cid",
                SignMethod.HMACSHA1, SecureMode.TCP);

        assertThat(device.toString()).doesNotContain("top-secret-value");
        assertThat(credentials.toString()).doesNotContain(credentials.password());
    }

    @Test
    void signMethodParsesTheClientIdSpellingCaseInsensitively() {
        assertThat(SignMethod.fromWireName("HmacSha256")).isEqualTo(SignMethod.HMACSHA256);
        assertThatIllegalArgumentException().isThrownBy(() -> SignMethod.fromWireName("sha512"));
    }

    @Test
    void deviceIdFollowsThePlatformNamingRules() {
        assertThat(DeviceId.isValidDeviceName("mosheep")).isTrue();
        assertThat(DeviceId.isValidDeviceName("dev-1_a@b.c:d")).isTrue();
        assertThat(DeviceId.isValidDeviceName("abc")).isFalse();
        assertThat(DeviceId.isValidDeviceName("x".repeat(33))).isFalse();
        assertThat(DeviceId.isValidDeviceName("sheep/../x")).isFalse();
        assertThat(DeviceId.isValidProductKey("a61QmwQD5ZF")).isTrue();
        assertThat(DeviceId.isValidProductKey("a61-Qmw")).isFalse();
    }
}
