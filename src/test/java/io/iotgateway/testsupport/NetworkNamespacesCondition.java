package io.iotgateway.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfNetworkNamespaces}: tried once per JVM, by making a namespace. */
class NetworkNamespacesCondition implements ExecutionCondition {

    private static volatile Optional<String> missing;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> reason = missing();
        return reason.isEmpty() ? ConditionEvaluationResult.enabled("network namespaces work here")
                : ConditionEvaluationResult.disabled(reason.get());
    }

    private static Optional<String> missing() {
        Optional<String> known = missing;
        if (known == null) {
            synchronized (NetworkNamespacesCondition.class) {
                known = missing;
                if (known == null) {
                    known = probe();
                    missing = known;
                }
            }
        }
        return known;
    }

    private static Optional<String> probe() {
        if (!isRoot()) {
            return Optional.of("network namespaces need root");
        }
        for (String tool : List.of("ip", "nft")) {
            if (MosquittoConfig.findExecutable(tool).isEmpty()) {
                return Optional.of(tool + " not found (Debian packages: iproute2, nftables)");
            }
        }
        if (!MosquittoBroker.isInstalled()) {
            return Optional.of("mosquitto or mosquitto_passwd not found (Debian package: mosquitto)");
        }
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            return Optional.empty();
        }
        catch (RuntimeException ex) {
            return Optional.of("cannot make a network namespace with a veth pair and nftables here: "
                    + ex.getMessage());
        }
    }

    private static boolean isRoot() {
        try {
            // the owner of /proc/self is this process's effective user
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        }
        catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
            return false;
        }
    }
}
