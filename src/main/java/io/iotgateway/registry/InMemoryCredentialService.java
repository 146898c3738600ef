package io.iotgateway.registry;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.DeviceTriple;

/**
 * Device triples held in memory: the ones from configuration plus any registered at start (the emulator's demo
 * device). A later durable registry implements {@link CredentialService} behind the same interface.
 */
public class InMemoryCredentialService implements CredentialService {

    private final ConcurrentSkipListMap<DeviceId, DeviceTriple> devices = new ConcurrentSkipListMap<>();

    public InMemoryCredentialService(List<DeviceTriple> initial) {
        initial.forEach(this::register);
    }

    /** Adds or replaces a device. */
    public void register(DeviceTriple device) {
        this.devices.put(device.id(), device);
    }

    @Override
    public Optional<DeviceTriple> find(DeviceId id) {
        return Optional.ofNullable(this.devices.get(id));
    }

    @Override
    public boolean exists(DeviceId id) {
        return this.devices.containsKey(id);
    }

    @Override
    public List<DeviceId> deviceIds() {
        return List.copyOf(this.devices.keySet());
    }
}
