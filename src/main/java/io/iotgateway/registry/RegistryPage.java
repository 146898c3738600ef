package io.iotgateway.registry;

import java.util.List;

/**
 * One page of devices.
 *
 * @param devices the devices of the page: configured devices first, then registry devices, each sorted by product
 * key and device name
 * @param total how many devices match in all
 */
public record RegistryPage(List<RegisteredDevice> devices, long total) {
}
