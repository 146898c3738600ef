package io.iotgateway.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.registry.InMemoryCredentialService;

import org.springframework.util.unit.DataSize;

/** An emulator as the tests of one class need it: the platform's limits, no demo device, these devices, no model. */
final class TestEmulator {

    private TestEmulator() {
    }

    /** Started on a free loopback port; stop it after the test. */
    static PlatformEmulator start(DeviceTriple... devices) {
        EmulatorProperties properties = new EmulatorProperties("127.0.0.1", 0, DataSize.ofKilobytes(256),
                Duration.ofSeconds(30), Duration.ofSeconds(1200),
                new EmulatorProperties.DemoDevice(false, "a61QmwQD5ZF", "mosheep"), 100, Map.of());
        return new PlatformEmulator(properties, new InMemoryCredentialService(List.of(devices))).start();
    }
}
