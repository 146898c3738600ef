package io.iotgateway.security;

import java.net.InetAddress;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Keeps the open {@link AccessMode#SANDBOX} on this machine: with no address configured ({@code server.address}) its
 * HTTP port listens on loopback only, and so does a separate management port without
 * {@code management.server.address}. Anyone else who could reach the port would otherwise publish as the devices,
 * write the registry and read the metrics without a key. A configured address is kept, with a warning when it is
 * not loopback; API clients (or the explicit open mode) leave the address as configured.
 */
final class SandboxAddress implements WebServerFactoryCustomizer<AbstractConfigurableWebServerFactory>, Ordered {

    private static final Log log = LogFactory.getLog(SandboxAddress.class);

    private final AccessMode mode;

    private final @Nullable ManagementServerProperties management;

    SandboxAddress(AccessMode mode, @Nullable ManagementServerProperties management) {
        this.mode = mode;
        this.management = management;
    }

    @Override
    public void customize(AbstractConfigurableWebServerFactory factory) {
        if (this.mode != AccessMode.SANDBOX) {
            return;
        }
        InetAddress configured = factory.getAddress();
        if (configured == null) {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            factory.setAddress(loopback);
            // the management server is made later, in a child context, from these properties
            if (this.management != null && this.management.getAddress() == null) {
                this.management.setAddress(loopback);
            }
            log.warn("LOCAL SANDBOX listens on " + loopback.getHostAddress() + " only. To call it from elsewhere, "
                    + "configure API clients (gateway.security.clients), or set server.address (SERVER_ADDRESS, e.g. "
                    + "0.0.0.0) to open the sandbox to the network.");
        }
        else if (!configured.isLoopbackAddress()) {
            log.warn("LOCAL SANDBOX listens on " + configured.getHostAddress() + " (server.address): reachable by "
                    + "anyone who can reach this port, without a key. Configure API clients (gateway.security.clients) "
                    + "unless that is what you want.");
        }
    }

    // after Boot's own customizer has applied server.address
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
