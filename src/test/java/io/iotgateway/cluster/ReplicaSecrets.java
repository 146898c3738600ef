package io.iotgateway.cluster;

import io.iotgateway.testsupport.TestDevices;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets every replica of one test run shares, generated for the run and never written anywhere: the
 * registry's master key, the key of an admin client (imports devices, reads owners) and the key of a publisher
 * client for the test product. They reach the replicas in their environment (Spring Boot's relaxed binding:
 * {@code GATEWAY_REGISTRY_MASTERKEY} is {@code gateway.registry.master-key}), not on a command line.
 */
final class ReplicaSecrets {

    static final String ADMIN = "harness-admin";

    static final String PUBLISHER = "harness-publisher";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String masterKey = Base64.getEncoder().encodeToString(randomBytes(32));

    private final String adminKey = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));

    private final String publisherKey = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));

    /** The environment of a replica publishing for {@code productKey}: master key and the two API clients. */
    Map<String, String> environment(String productKey) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("GATEWAY_REGISTRY_MASTERKEY", this.masterKey);
        client(environment, 0, ADMIN, this.adminKey, "admin", null);
        client(environment, 1, PUBLISHER, this.publisherKey, "publisher", productKey);
        return environment;
    }

    String adminKey() {
        return this.adminKey;
    }

    String publisherKey() {
        return this.publisherKey;
    }

    @Override
    public String toString() {
        return "ReplicaSecrets[******]";
    }

    private static void client(Map<String, String> environment, int index, String name, String key, String roles,
            String products) {
        String prefix = "GATEWAY_SECURITY_CLIENTS_" + index + "_";
        environment.put(prefix + "NAME", name);
        environment.put(prefix + "KEYSHA256", TestDevices.apiKeySha256(key));
        environment.put(prefix + "ROLES", roles);
        if (products != null) {
            environment.put(prefix + "PRODUCTS", products);
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

}
