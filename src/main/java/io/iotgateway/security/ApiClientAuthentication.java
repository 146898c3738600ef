package io.iotgateway.security;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * An authenticated API client. Its name is the request's user principal name, which scopes the caller's
 * {@code Idempotency-Key}s.
 */
public final class ApiClientAuthentication extends AbstractAuthenticationToken {

    private final ApiClient client;

    ApiClientAuthentication(ApiClient client) {
        super(client.roles().stream().map(ApiRole::authority).toList());
        this.client = client;
        setAuthenticated(true);
    }

    public ApiClient client() {
        return this.client;
    }

    @Override
    public ApiClient getPrincipal() {
        return this.client;
    }

    @Override
    public @Nullable Object getCredentials() {
        return null;
    }

    @Override
    public String getName() {
        return this.client.name();
    }

    @Override
    public String toString() {
        return "ApiClientAuthentication[" + this.client + "]";
    }
}
