package io.iotgateway.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the API key from {@code X-API-Key: <key>} or {@code Authorization: Bearer <key>}. No key: {@code null}, and
 * the request goes on unauthenticated (public paths work, protected ones get 401). Two different keys in one
 * request are refused rather than guessed between. The key travels as the credentials of an unauthenticated
 * token, whose {@code toString} never shows them.
 */
final class ApiKeyAuthenticationConverter implements AuthenticationConverter {

    static final String API_KEY_HEADER = "X-API-Key";

    private static final String BEARER = "Bearer ";

    // the unchecked token's principal: who presents the key is what checking it finds out
    private static final String PRESENTED_KEY = "api-key";

    // far longer than any sensible key; hashing longer input is work an attacker should not get for free
    private static final int MAX_KEY_LENGTH = 512;

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        String apiKey = request.getHeader(API_KEY_HEADER);
        String bearer = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (apiKey != null && bearer != null && !apiKey.equals(bearer)) {
            throw new BadCredentialsException("Two different API keys (X-API-Key and Authorization) were sent.");
        }
        String key = (apiKey != null) ? apiKey.strip() : bearer;
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new BadCredentialsException("The API key is empty or longer than " + MAX_KEY_LENGTH + " characters.");
        }
        return presented(key);
    }

    static Authentication presented(String key) {
        return UsernamePasswordAuthenticationToken.unauthenticated(PRESENTED_KEY, key);
    }

    private static @Nullable String bearerToken(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).strip();
    }
}
