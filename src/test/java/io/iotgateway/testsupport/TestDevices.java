package io.iotgateway.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.iotgateway.credential.AliyunMqttSigner;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Devices of the end-to-end tests against mosquitto and the broker rules that let them in. Their MQTT passwords
 * are computed here with the JDK's HMAC directly, independent of the production signer, over a fixed timestamp:
 * a test class that starts the gateway with {@link #register} imports {@link FixedTimestampSigning} and starts its
 * broker with {@link #brokerConfig()}.
 */
public final class TestDevices {

    public static final long TIMESTAMP = 1_700_000_000_000L;

    public static final String PRODUCT_KEY = "a61QmwQD5ZF";

    public static final String SECRET = "mosheep-test-secret-0123456789ab";

    /** Used by most tests. */
    public static final String MOSHEEP = "mosheep";

    /** Connected only by the concurrency test. */
    public static final String HERD = "herdsheep";

    /** Configured in the gateway with a wrong secret: the broker refuses it. */
    public static final String WRONG_SECRET = "badsheep";

    public static final String OBSERVER = "observer";

    public static final String OBSERVER_PASSWORD = "observer-password";

    /** The topic most tests publish to, as the broker sees it. */
    public static final String SHEEP_TOPIC = "/" + PRODUCT_KEY + "/" + MOSHEEP + "/user/sheep";

    /** The gateway's path for publishing to {@link #SHEEP_TOPIC}. */
    public static final String SHEEP_PATH = devicePath(MOSHEEP) + "/user/sheep";

    private TestDevices() {
    }

    /** The gateway's path of a device of {@link #PRODUCT_KEY}: its view, and the prefix of its publish paths. */
    public static String devicePath(String deviceName) {
        return "/api/v1/devices/" + PRODUCT_KEY + "/" + deviceName;
    }

    /**
     * Broker users and ACL: each device may write only its own topics, and {@link #MOSHEEP} may read its own system
     * topics (the replies to its thing-model posts); the observer reads everything.
     */
    public static MosquittoConfig brokerConfig() {
        MosquittoConfig config = MosquittoConfig.empty().withUser(OBSERVER, OBSERVER_PASSWORD).aclFor(OBSERVER, "read",
                "#");
        for (String device : new String[] { MOSHEEP, HERD, WRONG_SECRET }) {
            String username = device + "&" + PRODUCT_KEY;
            config = config.withUser(username, expectedPassword(device))
                .aclFor(username, "write", "/" + PRODUCT_KEY + "/" + device + "/user/#")
                .aclFor(username, "write", "/sys/" + PRODUCT_KEY + "/" + device + "/#");
        }
        return config.aclFor(MOSHEEP + "&" + PRODUCT_KEY, "read", "/sys/" + PRODUCT_KEY + "/" + MOSHEEP + "/#");
    }

    /** The gateway's devices: {@link #WRONG_SECRET} gets a secret the broker does not accept. */
    public static void register(DynamicPropertyRegistry registry) {
        // a real endpoint without API clients starts only when told to run open (docs/security.md)
        registry.add("gateway.security.open", () -> "true");
        // these tests send bursts to check concurrency and order, not the platform's per-device message rates
        registry.add("gateway.message.rate-limit.qos1-per-second", () -> "1000");
        registry.add("gateway.message.rate-limit.qos0-per-second", () -> "1000");
        String[] devices = { MOSHEEP, HERD, WRONG_SECRET };
        for (int i = 0; i < devices.length; i++) {
            registry.add("gateway.devices[" + i + "].product-key", () -> PRODUCT_KEY);
            String deviceName = devices[i];
            registry.add("gateway.devices[" + i + "].device-name", () -> deviceName);
            String secret = deviceName.equals(WRONG_SECRET) ? "not-the-secret" : SECRET;
            registry.add("gateway.devices[" + i + "].device-secret", () -> secret);
        }
    }

    /**
     * Configures {@code count} devices {@code <prefix>0} to {@code <prefix>N-1} of {@link #PRODUCT_KEY} for the
     * embedded emulator, which accepts the secrets it is configured with (many-device tests).
     */
    public static void registerNumbered(DynamicPropertyRegistry registry, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String deviceName = prefix + i;
            registry.add("gateway.devices[" + i + "].product-key", () -> PRODUCT_KEY);
            registry.add("gateway.devices[" + i + "].device-name", () -> deviceName);
            registry.add("gateway.devices[" + i + "].device-secret", () -> prefix + "-secret-" + deviceName);
        }
    }

    public static String expectedPassword(String deviceName) {
        return expectedPassword(deviceName, SECRET);
    }

    /** The password of a login of the device with {@code secret}, at {@link #TIMESTAMP}. */
    public static String expectedPassword(String deviceName, String secret) {
        String cid = PRODUCT_KEY + "." + deviceName;
        String content = "clientId" + cid + "deviceName" + deviceName + "productKey" + PRODUCT_KEY + "timestamp"
                + TIMESTAMP;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The hex SHA-256 of an API key, as {@code gateway.security.clients[i].key-sha256} takes it. */
    public static String apiKeySha256(String key) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A second client with the device's own credentials, as a colleague running mosquitto_pub would be. */
    public static MqttClient loginAs(String brokerUri, String deviceName) throws MqttException {
        String clientId = PRODUCT_KEY + "." + deviceName + "|securemode=3,signmethod=hmacsha1,timestamp=" + TIMESTAMP
                + "|";
        MqttClient client = new MqttClient(brokerUri, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(deviceName + "&" + PRODUCT_KEY);
        options.setPassword(expectedPassword(deviceName).toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(options);
        return client;
    }

    /** Signs with the fixed timestamp, so the broker's password file can hold the expected passwords. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class FixedTimestampSigning {

        @Bean
        @Primary
        AliyunMqttSigner fixedTimestampSigner() {
            return new AliyunMqttSigner(Clock.fixed(Instant.ofEpochMilli(TIMESTAMP), ZoneOffset.UTC));
        }
    }
}
