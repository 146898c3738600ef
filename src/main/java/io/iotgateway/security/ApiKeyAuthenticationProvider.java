package io.iotgateway.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Checks a presented key against the configured clients' key digests.
 */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeys keys;

    ApiKeyAuthenticationProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Object key = authentication.getCredentials();
        if (!(key instanceof String presented)) {
            throw new BadCredentialsException("No API key.");
        }
        return this.keys.find(presented)
            .map(ApiClientAuthentication::new)
            .orElseThrow(() -> new BadCredentialsException("The API key is not valid."));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedApiKey.class.isAssignableFrom(authentication);
    }
}
