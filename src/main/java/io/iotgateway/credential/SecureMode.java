package io.iotgateway.credential;

/**
 * The {@code securemode} of a platform connection: how the device reaches the broker.
 */
public enum SecureMode {

    /** Direct TLS connection ({@code ssl://}). */
    TLS(2),

    /** Direct plain TCP connection ({@code tcp://}); new Alibaba instances refuse it. */
    TCP(3);

    private final int code;

    SecureMode(int code) {
        this.code = code;
    }

    public int code() {
        return this.code;
    }

    public static SecureMode fromCode(int code) {
        for (SecureMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new IllegalArgumentException("Unsupported securemode " + code + " (2 = TLS, 3 = TCP)");
    }
}
