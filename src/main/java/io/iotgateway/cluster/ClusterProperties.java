package io.iotgateway.cluster;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Clustering of several gateway replicas (docs/cluster.md).
 *
 * @param enabled start an embedded grid member and share the devices with the other replicas
 * @param port the member port the replicas talk on
 * @param members the other members (and this one), {@code host:port,...}, for bare metal and tests; without them
 * and without {@code kubernetes.service-dns} this replica is a cluster of one
 * @param kubernetes discovery in Kubernetes
 * @param address the address the other members reach this one at (the pod IP); by default the grid picks one of
 * this host's addresses
 * @param replicaName this replica's name in the devices API, health and logs; by default the host name (a pod's
 * name in Kubernetes)
 * @param name the cluster's name: members of other names do not join
 * @param failureTimeout how long a member may stay silent before the others take over its devices
 * @param handOverWait how long a request waits for a device's previous owner to let go of its connection before
 * it is answered 503 {@code device-moving}
 * @param forwardTimeout longest wait for the owner's answer to a forwarded request (504 {@code owner-timeout} past
 * it); longer than the publish and reply timeouts together
 */
@Validated
@ConfigurationProperties("gateway.cluster")
public record ClusterProperties(@DefaultValue("false") boolean enabled,
        @DefaultValue("5701") @Min(1) @Max(65535) int port, @DefaultValue List<String> members,
        @DefaultValue Kubernetes kubernetes, @Nullable String address, @Nullable String replicaName,
        @DefaultValue("iot-gateway") String name,
        @DefaultValue("10s") @DurationMin(seconds = 2) @DurationMax(minutes = 5) Duration failureTimeout,
        @DefaultValue("5s") @DurationMin(millis = 0) @DurationMax(seconds = 60) Duration handOverWait,
        @DefaultValue("30s") @DurationMin(seconds = 1) Duration forwardTimeout) {

    /**
     * Discovery of the members by a DNS lookup of a headless Service.
     *
     * @param serviceDns the headless Service's DNS name, e.g.
     * {@code iot-gateway-cluster.iot.svc.cluster.local}
     */
    public record Kubernetes(@Nullable String serviceDns) {
    }
}
