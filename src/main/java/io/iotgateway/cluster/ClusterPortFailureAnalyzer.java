package io.iotgateway.cluster;

import java.net.BindException;

import com.hazelcast.core.HazelcastException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A member port already in use (a second replica on one host with the same {@code gateway.cluster.port}) is
 * reported in two lines, not as Hazelcast's stack trace through the bean factory (registered in
 * {@code META-INF/spring.factories}).
 */
class ClusterPortFailureAnalyzer extends AbstractFailureAnalyzer<HazelcastException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HazelcastException cause) {
        if (!(cause.getCause() instanceof BindException) && !String.valueOf(cause.getMessage())
            .contains("already in use")) {
            return null;
        }
        return new FailureAnalysis("The cluster member port cannot be bound: " + cause.getMessage(),
                "Stop the process that holds the port, or give this replica another one with gateway.cluster.port "
                        + "(and list it in gateway.cluster.members).",
                cause);
    }
}
