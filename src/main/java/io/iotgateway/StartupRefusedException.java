package io.iotgateway;

/**
 * The gateway refuses to start because of how it is configured. Reported by
 * {@link StartupRefusalFailureAnalyzer} as Boot's "APPLICATION FAILED TO START" with the reason and the action on a
 * line each, and no stack trace: an operator needs what to change, not where the check is. The reason never carries
 * secrets or key material. An {@link IllegalStateException}: the configuration leaves the gateway in a state it
 * must not run in.
 */
public class StartupRefusedException extends IllegalStateException {

    private final String action;

    /**
     * @param reason what is wrong, in one line
     * @param action what to configure instead, in one line
     */
    public StartupRefusedException(String reason, String action) {
        super(reason);
        this.action = action;
    }

    /** As {@link #StartupRefusedException(String, String)}, keeping the failure behind it (logged at DEBUG). */
    public StartupRefusedException(String reason, String action, Throwable cause) {
        super(reason, cause);
        this.action = action;
    }

    public String action() {
        return this.action;
    }
}
