package io.iotgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.credential.SecureMode;
import org.jspecify.annotations.Nullable;

/**
 * Checks a device's CONNECT the way the platform does: client id format, {@code deviceName&productKey} user name of
 * a known device, and the HMAC password over the client id's cid and timestamp.
 */
final class LoginCheck {

    private final CredentialService credentials;

    LoginCheck(CredentialService credentials) {
        this.credentials = credentials;
    }

    /** The outcome of one login. */
    sealed interface Verdict {

        /** @param device the device that logged in */
        record Accepted(DeviceId device) implements Verdict {
        }

        /** @param reason why, fit for the log: never contains the password or secret */
        record Refused(String reason) implements Verdict {
        }
    }

    Verdict check(String clientId, @Nullable String username, byte @Nullable [] password) {
        PlatformClientId parsed;
        try {
            parsed = PlatformClientId.parse(clientId);
        }
        catch (IllegalArgumentException ex) {
            return new Verdict.Refused(ex.getMessage());
        }
        if (parsed.secureMode() == SecureMode.TLS.code()) {
            return new Verdict.Refused("securemode=2 means TLS, but the emulator listens on plain TCP; "
                    + "connect to its tcp:// address with securemode=3");
        }
        if (parsed.secureMode() != SecureMode.TCP.code()) {
            return new Verdict.Refused("securemode=" + parsed.secureMode() + " is not supported; use 3 (plain TCP)");
        }
        DeviceId device = deviceOf(username);
        if (device == null) {
            return new Verdict.Refused("username must be deviceName&productKey");
        }
        Optional<DeviceTriple> triple = this.credentials.find(device);
        if (triple.isEmpty()) {
            return new Verdict.Refused("unknown device " + device);
        }
        if (password == null || password.length == 0) {
            return new Verdict.Refused("no password");
        }
        return signedBy(triple.get(), parsed, password) ? new Verdict.Accepted(device)
                : new Verdict.Refused("password is not the " + parsed.signMethod().wireName()
                        + " signature of this client id for device " + device);
    }

    private static boolean signedBy(DeviceTriple triple, PlatformClientId clientId, byte[] password) {
        DeviceId device = triple.id();
        String expected = AliyunMqttSigner.password(triple.deviceSecret(), clientId.cid(), device.deviceName(),
                device.productKey(), clientId.timestamp(), clientId.signMethod());
        // the platform compares hex case-insensitively; MessageDigest.isEqual does not leak where they differ
        byte[] given = new String(password, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given);
    }

    /** The device named by a {@code deviceName&productKey} user name, or {@code null} when it names none. */
    static @Nullable DeviceId deviceOf(@Nullable String username) {
        if (username == null) {
            return null;
        }
        int ampersand = username.indexOf('&');
        if (ampersand < 0) {
            return null;
        }
        String deviceName = username.substring(0, ampersand);
        String productKey = username.substring(ampersand + 1);
        if (!DeviceId.isValidDeviceName(deviceName) || !DeviceId.isValidProductKey(productKey)) {
            return null;
        }
        return new DeviceId(productKey, deviceName);
    }
}
