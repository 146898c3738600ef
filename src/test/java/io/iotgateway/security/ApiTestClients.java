package io.iotgateway.security;


import io.iotgateway.testsupport.TestDevices;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * API clients of the security tests, configured as an operator would: names, SHA-256 of the keys, roles and
 * products. The demo device of the emulator belongs to {@link #PRODUCT}.
 */
final class ApiTestClients {

    static final String PRODUCT = "a61QmwQD5ZF";

    static final String OTHER_PRODUCT = "b72RnxRE6AG";

    static final String DEMO_PATH = "/api/v1/devices/" + PRODUCT + "/mosheep/user/sheep";

    /** Publisher for {@link #PRODUCT}. */
    static final String PUBLISHER_KEY = "publisher-key-7f3a9c1e5b2d4f6a8c0e";

    /** Publisher for {@link #OTHER_PRODUCT} only. */
    static final String OTHER_PUBLISHER_KEY = "other-publisher-key-1b2c3d4e5f60718293";

    /** Publisher for every product. */
    static final String FLEET_KEY = "fleet-key-5e6f7a8b9c0d1e2f3a4b5c6d";

    /** Admin only: manages, may not publish. */
    static final String ADMIN_KEY = "admin-key-0a1b2c3d4e5f6a7b8c9d0e1f";

    private ApiTestClients() {
    }

    static void register(DynamicPropertyRegistry registry) {
        client(registry, 0, "erp", PUBLISHER_KEY, "publisher", PRODUCT);
        client(registry, 1, "other-erp", OTHER_PUBLISHER_KEY, "publisher", OTHER_PRODUCT);
        client(registry, 2, "ops", ADMIN_KEY, "admin", "");
        client(registry, 3, "fleet", FLEET_KEY, "publisher", "*");
    }

    private static void client(DynamicPropertyRegistry registry, int i, String name, String key, String roles,
            String products) {
        String prefix = "gateway.security.clients[" + i + "].";
        registry.add(prefix + "name", () -> name);
        registry.add(prefix + "key-sha256", () -> TestDevices.apiKeySha256(key));
        registry.add(prefix + "roles", () -> roles);
        if (!products.isEmpty()) {
            registry.add(prefix + "products", () -> products);
        }
    }
}
