package io.iotgateway.credential;

import java.util.Locale;

/**
 * The HMAC algorithms the platform accepts for the MQTT password ({@code signmethod} in the client id).
 */
public enum SignMethod {

    HMACMD5("hmacmd5", "HmacMD5"),
    HMACSHA1("hmacsha1", "HmacSHA1"),
    HMACSHA256("hmacsha256", "HmacSHA256");

    private final String wireName;

    private final String jcaName;

    SignMethod(String wireName, String jcaName) {
        this.wireName = wireName;
        this.jcaName = jcaName;
    }

    /** The name as written in the client id, e.g. {@code hmacsha1}. */
    public String wireName() {
        return this.wireName;
    }

    String jcaName() {
        return this.jcaName;
    }

    /** Parses the client id's {@code signmethod} value, case-insensitively. */
    public static SignMethod fromWireName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (SignMethod method : values()) {
            if (method.wireName.equals(lower)) {
                return method;
            }
        }
        throw new IllegalArgumentException("Unknown signmethod '" + name + "' (hmacmd5, hmacsha1 or hmacsha256)");
    }
}
