package io.iotgateway.security;

import io.iotgateway.StartupRefusedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How callers are let in, decided once at start from the clients and the platform endpoint:
 * <ul>
 * <li>{@link #API_KEYS}: clients are configured; every caller needs a key.</li>
 * <li>{@link #SANDBOX}: no clients and no endpoint: the out-of-the-box run against the embedded emulator, open to
 * anyone who can reach it, with a loud warning; it listens on loopback only unless an address is configured
 * ({@link SandboxAddress}).</li>
 * <li>{@link #OPEN}: no clients, a real endpoint and {@code gateway.security.open=true}: open on purpose, warned.</li>
 * </ul>
 * No clients with a real endpoint and without {@code open} refuses to start: a gateway that holds real device
 * secrets must never be open by accident. The {@code production} profile refuses both open modes: a production
 * gateway needs API clients, whatever else is configured.
 */
enum AccessMode {

    API_KEYS, SANDBOX, OPEN;

    private static final Log log = LogFactory.getLog(AccessMode.class);

    private static final String CONFIGURE_CLIENTS = "Configure API clients: gateway.security.clients[0].name, "
            + ".key-sha256, .roles and .products (docs/security.md).";

    /**
     * @param production whether the {@code production} profile is active
     * @throws StartupRefusedException when no mode is allowed: no clients with an endpoint and without {@code open},
     * or an open mode under the production profile
     */
    static AccessMode decide(GatewaySecurityProperties security, @Nullable String platformEndpoint,
            boolean production) {
        boolean realPlatform = platformEndpoint != null && !platformEndpoint.isBlank();
        if (!security.clients().isEmpty()) {
            if (security.open()) {
                log.warn("gateway.security.open=true is ignored: API clients are configured, so every caller needs "
                        + "a key.");
            }
            log.info("API keys required: " + security.clients().size() + " client(s) configured");
            return API_KEYS;
        }
        if (production && (!realPlatform || security.open())) {
            throw new StartupRefusedException("The production profile is active but no API clients are configured "
                    + "(gateway.security.clients): the gateway would run open to anyone, " + (realPlatform
                            ? "with gateway.security.open=true" : "as a local sandbox (no gateway.platform.endpoint)")
                    + ".", CONFIGURE_CLIENTS + " The production profile allows no open mode.");
        }
        return openMode(security, realPlatform);
    }

    /** No API clients, not in production: open, with a loud warning, or refused when a real platform is meant. */
    private static AccessMode openMode(GatewaySecurityProperties security, boolean realPlatform) {
        if (!realPlatform) {
            log.warn("""

                    *****************************************************************************************
                    LOCAL SANDBOX: no API clients are configured (gateway.security.clients), so ANYONE who
                    can reach this gateway may publish as its devices and use the admin API. Fine for the
                    embedded emulator on your machine (loopback only, unless server.address is set);
                    configure clients before pointing it at a platform or opening it to the network.
                    *****************************************************************************************""");
            return SANDBOX;
        }
        if (security.open()) {
            log.warn("""

                    *****************************************************************************************
                    OPEN ACCESS: gateway.security.open=true and no API clients, with a real IoT Platform
                    endpoint. ANYONE who can reach this gateway may publish as every device it holds and use
                    the admin API. Only acceptable behind a proxy that authenticates every caller.
                    *****************************************************************************************""");
            return OPEN;
        }
        throw new StartupRefusedException("A platform endpoint is configured (gateway.platform.endpoint) but no API "
                + "clients (gateway.security.clients): anyone could publish as the gateway's devices.",
                CONFIGURE_CLIENTS + " Or set gateway.security.open=true to run open on purpose.");
    }
}
