package io.iotgateway.emulator;

import java.util.HashMap;
import java.util.Map;

import io.iotgateway.credential.SignMethod;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a platform MQTT client id, {@code <cid>|securemode=3,signmethod=hmacsha1,timestamp=<ms>|}. The
 * key=value list may come in any order; {@code timestamp} is optional and other keys (such as {@code _v}) are
 * ignored, as the platform does.
 *
 * @param cid the device-chosen part before the first {@code |}; it is signed
 * @param secureMode 2 (TLS) or 3 (plain TCP)
 * @param signMethod the HMAC the password was made with
 * @param timestamp the signed timestamp, or {@code null} when the client id has none
 */
record PlatformClientId(String cid, int secureMode, SignMethod signMethod, @Nullable String timestamp) {

    /** The platform's limit on the part before the {@code |}. */
    static final int MAX_CID_LENGTH = 64;

    private static final String FORMAT = "<clientId>|securemode=3,signmethod=hmacsha1,timestamp=<ms>|";

    /**
     * Parses a client id.
     * @throws IllegalArgumentException with a reason fit for the log when the client id is not in the format
     */
    static PlatformClientId parse(String clientId) {
        int open = clientId.indexOf('|');
        if (open < 0 || open == clientId.length() - 1 || !clientId.endsWith("|")) {
            throw new IllegalArgumentException("client id must look like " + FORMAT);
        }
        String cid = clientId.substring(0, open);
        if (cid.isEmpty()) {
            throw new IllegalArgumentException("the client id part before '|' is empty");
        }
        if (cid.length() > MAX_CID_LENGTH) {
            throw new IllegalArgumentException("the client id part before '|' has " + cid.length()
                    + " characters; the platform allows at most " + MAX_CID_LENGTH);
        }
        Map<String, String> parameters = parameters(clientId.substring(open + 1, clientId.length() - 1));
        String mode = parameters.get("securemode");
        String method = parameters.get("signmethod");
        if (mode == null || method == null) {
            throw new IllegalArgumentException("client id must carry securemode and signmethod: " + FORMAT);
        }
        String timestamp = parameters.get("timestamp");
        if (timestamp != null && !timestamp.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("timestamp '" + timestamp + "' must be digits (milliseconds)");
        }
        return new PlatformClientId(cid, secureMode(mode), SignMethod.fromWireName(method), timestamp);
    }

    private static Map<String, String> parameters(String list) {
        if (list.indexOf('|') >= 0) {
            throw new IllegalArgumentException("client id must contain exactly two '|': " + FORMAT);
        }
        Map<String, String> parameters = new HashMap<>();
        for (String entry : list.split(",")) {
            if (entry.isEmpty()) {
                // the C Link SDK ends the list with a comma
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("client id parameter '" + entry + "' is not key=value");
            }
            String key = entry.substring(0, equals);
            if (parameters.putIfAbsent(key, entry.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("client id parameter '" + key + "' appears twice");
            }
        }
        return parameters;
    }

    private static int secureMode(String mode) {
        try {
            return Integer.parseInt(mode);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("securemode '" + mode + "' is not a number");
        }
    }
}
