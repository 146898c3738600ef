package io.iotgateway.security;

import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Grants a request for {@code /api/v1/devices/{productKey}/...} only to a client whose scope covers that product.
 * The refusal says which product, so the 403 can name it.
 */
final class ProductScopeAuthorizationManager implements AuthorizationManager<RequestAuthorizationContext> {

    static final String PRODUCT_KEY = "productKey";

    private final Set<ApiRole> anyOfRoles;

    private final Predicate<ClientAndProduct> rule;

    private ProductScopeAuthorizationManager(Set<ApiRole> anyOfRoles, Predicate<ClientAndProduct> rule) {
        this.anyOfRoles = anyOfRoles;
        this.rule = rule;
    }

    /** Publishing: the publisher role and the product in scope. */
    static ProductScopeAuthorizationManager publish() {
        return new ProductScopeAuthorizationManager(Set.of(ApiRole.PUBLISHER),
                check -> check.client().mayPublishFor(check.productKey()));
    }

    /** Reading a device: an admin, or a publisher with the product in scope. */
    static ProductScopeAuthorizationManager read() {
        return new ProductScopeAuthorizationManager(Set.of(ApiRole.PUBLISHER, ApiRole.ADMIN),
                check -> check.client().maySee(check.productKey()));
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
            RequestAuthorizationContext context) {
        Authentication current = authentication.get();
        if (current == null || !current.isAuthenticated() || !(current.getPrincipal() instanceof ApiClient client)) {
            return new AuthorizationDecision(false);
        }
        if (this.anyOfRoles.stream().noneMatch(client::hasRole)) {
            return new AuthorizationDecision(false);
        }
        String productKey = context.getVariables().getOrDefault(PRODUCT_KEY, "");
        return this.rule.test(new ClientAndProduct(client, productKey)) ? new AuthorizationDecision(true)
                : new ProductDenied(productKey);
    }

    private record ClientAndProduct(ApiClient client, String productKey) {
    }

    /** A refusal because the product is outside the caller's scope (not because of a missing role). */
    static final class ProductDenied extends AuthorizationDecision {

        private final String productKey;

        ProductDenied(String productKey) {
            super(false);
            this.productKey = productKey;
        }

        String productKey() {
            return this.productKey;
        }
    }
}
