package io.iotgateway.registry;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys that encrypt the device secrets in the registry. Nothing here is validated by annotations: a binding
 * failure report would print the rejected value, and these values are keys.
 *
 * @param masterKey the current master key, the base64 of 32 random bytes ({@code openssl rand -base64 32}); new and
 * changed secrets are encrypted with it. Set this or master-key-file, not both
 * @param masterKeyFile a file holding the current master key in base64, e.g. a mounted Kubernetes Secret
 * @param previousMasterKeys earlier master keys (base64), kept only to read secrets encrypted before a key rotation
 * until they are re-encrypted with the current key
 * @param requireMasterKey refuse to start without a configured master key instead of generating one into the data
 * directory; the {@code production} profile turns this on too
 */
@ConfigurationProperties("gateway.registry")
public record RegistryProperties(@Nullable String masterKey, @Nullable Path masterKeyFile,
        @DefaultValue List<String> previousMasterKeys, @DefaultValue("false") boolean requireMasterKey) {

    @Override
    public String toString() {
        return "RegistryProperties[masterKey=" + ((this.masterKey != null) ? "******" : "none") + ", masterKeyFile="
                + this.masterKeyFile + ", previousMasterKeys=" + this.previousMasterKeys.size()
                + ", requireMasterKey=" + this.requireMasterKey + "]";
    }
}
