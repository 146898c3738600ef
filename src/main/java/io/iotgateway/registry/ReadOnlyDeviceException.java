package io.iotgateway.registry;

import io.iotgateway.credential.DeviceId;

/**
 * The device comes from configuration ({@code gateway.devices} or the emulator's demo device), which wins over
 * the registry, so the registry refuses to change or remove it.
 */
public class ReadOnlyDeviceException extends IllegalStateException {

    private final DeviceId device;

    ReadOnlyDeviceException(DeviceId device) {
        super("Device " + device + " is managed by configuration (gateway.devices or the emulator's demo device); "
                + "change it there");
        this.device = device;
    }

    public DeviceId device() {
        return this.device;
    }
}
