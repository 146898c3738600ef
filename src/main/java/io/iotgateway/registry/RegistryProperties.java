package io.iotgateway.registry;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param knownDeviceTtl how long a device found in the registry is taken as known without asking the database again,
 * for the existence check of every publish; a device removed through this gateway is unknown at once, one removed
 * through another gateway sharing the database after at most this long; {@code 0s} asks at every request
 */
@ConfigurationProperties("gateway.registry")
public record RegistryProperties(@Nullable String masterKey, @Nullable Path masterKeyFile,
        @DefaultValue List<String> previousMasterKeys, @DefaultValue("false") boolean requireMasterKey,
        @DefaultValue("5s") Duration knownDeviceTtl) {

    @Override
    public String toString() {
        return "RegistryProperties[masterKey=" + ((this.masterKey != null) ? "******" : "none") + ", masterKeyFile="
                + this.masterKeyFile + ", previousMasterKeys=" + this.previousMasterKeys.size()
                + ", requireMasterKey=" + this.requireMasterKey + ", knownDeviceTtl=" + this.knownDeviceTtl + "]";
    }
}
