package io.iotgateway.emulator;

import io.moquette.broker.security.IAuthenticator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's login hook: runs the {@link LoginCheck} on every CONNECT that carries a user name. Moquette answers
 * every refusal with CONNACK 4 (bad user name or password), while the platform uses 2 for a malformed client id and
 * 5 for some unknown devices; the WARN log gives the actual reason.
 */
final class PlatformAuthenticator implements IAuthenticator {

    private static final Logger logger = LoggerFactory.getLogger(PlatformAuthenticator.class);

    private final LoginCheck loginCheck;

    private final EmulatorInbox inbox;

    PlatformAuthenticator(LoginCheck loginCheck, EmulatorInbox inbox) {
        this.loginCheck = loginCheck;
        this.inbox = inbox;
    }

    @Override
    public boolean checkValid(String clientId, @Nullable String username, byte @Nullable [] password) {
        return switch (this.loginCheck.check(clientId, username, password)) {
            case LoginCheck.Verdict.Accepted accepted -> true;
            case LoginCheck.Verdict.Refused refused -> {
                // all three come from the network (the reason may quote the client id)
                logger.warn("Emulator refused CONNECT of client '{}' with username '{}': {}", LogText.escape(clientId),
                        LogText.escape(username), LogText.escape(refused.reason()));
                this.inbox.countRefusedConnect();
                yield false;
            }
        };
    }
}
