package io.iotgateway.security;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A key as a request presented it, not yet checked. {@code toString} never shows it, and Spring Security erases it
 * once the request is authenticated.
 */
final class PresentedApiKey extends AbstractAuthenticationToken {

    private @Nullable String key;

    PresentedApiKey(String key) {
        super(List.of());
        this.key = key;
        setAuthenticated(false);
    }

    @Override
    public @Nullable Object getCredentials() {
        return this.key;
    }

    @Override
    public Object getPrincipal() {
        return "api-key";
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        this.key = null;
    }

    @Override
    public String toString() {
        return "PresentedApiKey[key=PROTECTED]";
    }
}
