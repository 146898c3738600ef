package io.iotgateway.security;

import java.util.Set;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;

/**
 * An authenticated caller: its name, roles and the products it may act for. It is the principal of the request's
 * authentication, and its name the request's user principal name, which scopes the caller's
 * {@code Idempotency-Key}s.
 *
 * @param name the client's configured name; the principal name the rest of the gateway sees
 * @param roles what it may do
 * @param products product keys it may publish for and see; {@code *} for all
 */
public record ApiClient(String name, Set<ApiRole> roles, Set<String> products) implements AuthenticatedPrincipal {

    static final String ALL_PRODUCTS = "*";

    /** Used in open mode (no clients configured): every caller acts as this client. */
    static final ApiClient OPEN_ACCESS = new ApiClient("anonymous", Set.of(ApiRole.PUBLISHER, ApiRole.ADMIN),
            Set.of(ALL_PRODUCTS));

    public ApiClient {
        roles = Set.copyOf(roles);
        products = Set.copyOf(products);
    }

    @Override
    public String getName() {
        return this.name;
    }

    /** The request's authentication as this client, with its roles as authorities and no credentials. */
    Authentication authentication() {
        return UsernamePasswordAuthenticationToken.authenticated(this, null,
                this.roles.stream().map(ApiRole::authority).toList());
    }

    public boolean hasRole(ApiRole role) {
        return this.roles.contains(role);
    }

    /** Whether the client may see the devices of the product: an admin sees all, a publisher those in scope. */
    public boolean maySee(String productKey) {
        return hasRole(ApiRole.ADMIN) || mayPublishFor(productKey);
    }

    /** Whether the client may publish as devices of the product. */
    public boolean mayPublishFor(String productKey) {
        return hasRole(ApiRole.PUBLISHER)
                && (this.products.contains(ALL_PRODUCTS) || this.products.contains(productKey));
    }
}
