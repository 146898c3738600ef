package io.iotgateway.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the gateway.
 *
 * @param clients the API clients; each caller sends its key as {@code X-API-Key: <key>} or
 * {@code Authorization: Bearer <key>}. With none, the gateway is open: allowed with the emulator (a local sandbox),
 * refused at start with a real platform endpoint unless {@code open} is set
 * @param open run without API clients even though a real platform endpoint is configured: anyone who reaches the
 * gateway can publish as every device. Only for a gateway behind another authenticating proxy; logged as a warning
 * @param failureLimit how many failed authentications one client address may have before its requests with a key
 * are refused with 429 for the rest of the window
 */
@Validated
@ConfigurationProperties("gateway.security")
public record GatewaySecurityProperties(@DefaultValue List<@Valid Client> clients, @DefaultValue("false") boolean open,
        @DefaultValue @Valid FailureLimit failureLimit) {

    /**
     * Throttles key guessing, per client address ({@code getRemoteAddr()}: behind a proxy, let the gateway see the
     * caller's address, e.g. {@code server.forward-headers-strategy=native}, or the proxy is throttled as a whole).
     *
     * @param maxFailures failed authentications (a wrong, empty, oversized or second key) per address and window;
     * past them every request of the address that carries a key gets 429 until the window ends. 0 turns it off
     * @param window how long an address's count lasts, from its first failure
     * @param maxAddresses addresses counted at once; the least recently used are forgotten beyond, so a flood from
     * many addresses cannot exhaust the memory
     */
    public record FailureLimit(@DefaultValue("20") @Min(0) int maxFailures,
            @DefaultValue("10s") @DurationMin(seconds = 1) Duration window,
            @DefaultValue("100000") @Min(1) int maxAddresses) {
    }

    /**
     * One API client.
     *
     * @param name who the client is, e.g. {@code erp-prod}; shown in logs, and the scope of
     * its {@code Idempotency-Key}s
     * @param keySha256 hex SHA-256 of the client's key (e.g. {@code printf %s "$KEY" | sha256sum}); the key itself
     * is never stored. Use random keys of at least 128 bits, e.g. {@code openssl rand -base64 32}
     * @param roles {@code publisher} (publish and read devices of its products) and/or {@code admin} (device
     * registry, all devices, actuator details)
     * @param products the product keys a publisher may publish for and see, or {@code *} for all
     */
    public record Client(@NotBlank String name, @NotBlank @Pattern(regexp = "[0-9a-fA-F]{64}") String keySha256,
            @NotEmpty Set<ApiRole> roles, @DefaultValue Set<@NotBlank String> products) {

        @Override
        public String toString() {
            // the digest is not the key, but there is no reason to print it either
            return "Client[name=" + this.name + ", roles=" + this.roles + ", products=" + this.products + "]";
        }
    }
}
