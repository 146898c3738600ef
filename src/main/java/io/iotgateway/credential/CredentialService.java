package io.iotgateway.credential;

import java.util.List;
import java.util.Optional;

/**
 * Holds the device triples the gateway may connect as.
 */
public interface CredentialService {

    /** The device's triple, or empty when the gateway does not know the device. */
    Optional<DeviceTriple> find(DeviceId id);

    /** Every known device, sorted by product key and device name. */
    List<DeviceId> deviceIds();

    /** Whether the gateway knows the device, without reading (or decrypting) its secret. */
    default boolean exists(DeviceId id) {
        return find(id).isPresent();
    }
}
