package io.iotgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.iotgateway.StartupRefusedException;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * The configured clients, looked up by key. Only SHA-256 digests of the keys are held; a presented key is hashed
 * and compared with every digest in constant time (no early exit), so neither the comparison nor the position of
 * the matching client shows in the answer time. As an {@link AuthenticationProvider} it checks the key that
 * {@link ApiKeyAuthenticationConverter} read.
 */
final class ApiKeys implements AuthenticationProvider {

    private final List<Entry> entries;

    ApiKeys(List<GatewaySecurityProperties.Client> clients) {
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        this.entries = clients.stream().map(client -> {
            if (!names.add(client.name())) {
                throw new StartupRefusedException("gateway.security.clients: the name " + client.name() + " is used "
                        + "twice.", "Give every client its own name; names identify clients in logs and idempotency "
                        + "scopes.");
            }
            if (!digests.add(client.keySha256().toLowerCase())) {
                throw new StartupRefusedException("gateway.security.clients: client " + client.name() + " has the "
                        + "same key as another client.", "Give every client its own key.");
            }
            return new Entry(HexFormat.of().parseHex(client.keySha256()),
                    new ApiClient(client.name(), client.roles(), client.products()));
        }).toList();
    }

    boolean isEmpty() {
        return this.entries.isEmpty();
    }

    int size() {
        return this.entries.size();
    }

    @Override
    public Authentication authenticate(Authentication presented) {
        if (!(presented.getCredentials() instanceof String key)) {
            throw new BadCredentialsException("No API key.");
        }
        return find(key).map(ApiClient::authentication)
            .orElseThrow(() -> new BadCredentialsException("The API key is not valid."));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** The client whose key this is, if any. */
    Optional<ApiClient> find(String presentedKey) {
        byte[] digest = sha256(presentedKey);
        @Nullable ApiClient match = null;
        for (Entry entry : this.entries) {
            if (MessageDigest.isEqual(entry.digest, digest) && match == null) {
                match = entry.client;
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

    private record Entry(byte[] digest, ApiClient client) {
    }
}
