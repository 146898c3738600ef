package io.iotgateway.registry;

/**
 * Where the gateway has a device from.
 */
public enum DeviceSource {

    /** {@code gateway.devices} or the emulator's demo device: read-only through the admin API, configuration wins. */
    CONFIGURATION,

    /** The durable registry, managed through the admin API. */
    REGISTRY
}
