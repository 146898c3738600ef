package io.iotgateway.security;

import java.time.Duration;

import io.iotgateway.emulator.EmulatorInbox;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * The gateway as an operator runs it against the embedded emulator, with the API clients of {@link ApiTestClients}
 * and a few devices of their own. Test classes extending this share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ApiKeyGatewayTests {

    /** Used by the rate limit test only, so its full windows cannot slow the others down. */
    static final String BURST_DEVICE = "burstsheep";

    /** Used by the fuzz test only. */
    static final String FUZZ_DEVICE = "fuzzsheep";

    @LocalServerPort
    int port;

    @Autowired
    EmulatorInbox inbox;

    @DynamicPropertySource
    static void clientsAndDevices(DynamicPropertyRegistry registry) {
        ApiTestClients.register(registry);
        // these tests send wrong keys from one address on purpose, hundreds of them in the fuzz test
        registry.add("gateway.security.failure-limit.max-failures", () -> "100000");
        String[] devices = { BURST_DEVICE, FUZZ_DEVICE };
        for (int i = 0; i < devices.length; i++) {
            String deviceName = devices[i];
            registry.add("gateway.devices[" + i + "].product-key", () -> ApiTestClients.PRODUCT);
            registry.add("gateway.devices[" + i + "].device-name", () -> deviceName);
            registry.add("gateway.devices[" + i + "].device-secret", () -> "secret-of-" + deviceName);
        }
    }

    /**
     * Clears the emulator's inbox once it is quiet: it records asynchronously, just after its PUBACK, so a message of
     * the previous test may still be on its way.
     */
    void clearInboxWhenQuiet() {
        await().atMost(Duration.ofSeconds(5))
            .during(Duration.ofMillis(300))
            .until(() -> this.inbox.messages().size(), size -> size == this.inbox.messages().size());
        this.inbox.clear();
    }
}
