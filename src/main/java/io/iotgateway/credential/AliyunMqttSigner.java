package io.iotgateway.credential;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Signs MQTT connections the way Alibaba Cloud IoT Platform requires for "one secret per device" logins.
 * <p>
 * The password is {@code hex(HMAC(deviceSecret, "clientId"+cid+"deviceName"+dn+"productKey"+pk+"timestamp"+ts))}
 * and the MQTT client id carries the same cid, the secure mode, the sign method and the timestamp. Every call
 * takes a fresh timestamp from the clock, so every (re)connect is signed anew.
 */
public final class AliyunMqttSigner {

    private final Clock clock;

    public AliyunMqttSigner(Clock clock) {
        this.clock = clock;
    }

    /**
     * Signs one CONNECT for the device.
     * @param device the device triple
     * @param cid the client id part before the {@code |}; usually {@link DeviceId#defaultClientId()}
     * @param method the HMAC algorithm
     * @param mode TLS or plain TCP, as the endpoint is
     * @return the client id, user name and password to connect with
     */
    public MqttConnectCredentials sign(DeviceTriple device, String cid, SignMethod method, SecureMode mode) {
        long timestamp = this.clock.millis();
        DeviceId id = device.id();
        String clientId = cid + "|securemode=" + mode.code() + ",signmethod=" + method.wireName() + ",timestamp="
                + timestamp + "|";
        String password = password(device.deviceSecret(), cid, id.deviceName(), id.productKey(),
                Long.toString(timestamp), method);
        return new MqttConnectCredentials(clientId, id.mqttUsername(), password);
    }

    /**
     * The platform's signature over the sorted connect parameters, as lower-case hex (the platform compares
     * case-insensitively). A {@code null} timestamp is left out of the signed content, as the platform allows.
     */
    public static String password(String deviceSecret, String cid, String deviceName, String productKey,
            @Nullable String timestamp, SignMethod method) {
        String content = "clientId" + cid + "deviceName" + deviceName + "productKey" + productKey
                + ((timestamp != null) ? "timestamp" + timestamp : "");
        try {
            Mac mac = Mac.getInstance(method.jcaName());
            mac.init(new SecretKeySpec(deviceSecret.getBytes(StandardCharsets.UTF_8), method.jcaName()));
            return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException ex) {
            // every JDK ships these three MACs
            throw new IllegalStateException("HMAC " + method.jcaName() + " unavailable", ex);
        }
    }
}
