package io.iotgateway.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts refused callers: {@code gateway.security.authentication.failures} (tag {@code reason}: {@code missing-key},
 * {@code invalid-key}) and {@code gateway.security.access.denied} (tag {@code reason}: {@code role},
 * {@code product}) and {@code gateway.security.authentication.throttled} (429 after too many failures from one
 * address). Never tagged with keys, client names or addresses: a flood of bad keys must not create meters.
 */
final class SecurityMetrics {

    private final Counter missingKey;

    private final Counter invalidKey;

    private final Counter deniedRole;

    private final Counter deniedProduct;

    private final Counter throttled;

    SecurityMetrics(MeterRegistry registry) {
        this.missingKey = failure(registry, "missing-key");
        this.invalidKey = failure(registry, "invalid-key");
        this.deniedRole = denied(registry, "role");
        this.deniedProduct = denied(registry, "product");
        this.throttled = Counter.builder("gateway.security.authentication.throttled")
            .description("Requests with an API key refused with 429: their address had too many failed "
                    + "authentications")
            .register(registry);
    }

    void throttled() {
        this.throttled.increment();
    }

    void missingKey() {
        this.missingKey.increment();
    }

    void invalidKey() {
        this.invalidKey.increment();
    }

    void deniedByRole() {
        this.deniedRole.increment();
    }

    void deniedByProduct() {
        this.deniedProduct.increment();
    }

    private static Counter failure(MeterRegistry registry, String reason) {
        return Counter.builder("gateway.security.authentication.failures")
            .description("Requests refused with 401: no API key, or one that matches no client")
            .tag("reason", reason)
            .register(registry);
    }

    private static Counter denied(MeterRegistry registry, String reason) {
        return Counter.builder("gateway.security.access.denied")
            .description("Authenticated requests refused with 403: missing role, or a product outside the scope")
            .tag("reason", reason)
            .register(registry);
    }
}
