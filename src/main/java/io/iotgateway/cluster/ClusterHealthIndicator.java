package io.iotgateway.cluster;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code cluster} health component, part of readiness: UP when this replica is a member of the cluster (of a
 * majority of it) and owns its share of the devices; until then, and while it is cut off, the Service sends it no
 * requests. Details: this replica's name, the members, the partitions it owns and the devices it holds.
 */
final class ClusterHealthIndicator implements HealthIndicator {

    private final ClusterOwnership ownership;

    ClusterHealthIndicator(ClusterOwnership ownership) {
        this.ownership = ownership;
    }

    @Override
    public Health health() {
        boolean ready = this.ownership.ownsItsShare();
        Health.Builder health = ready ? Health.up() : Health.outOfService();
        health.withDetail("replica", this.ownership.replica());
        try {
            health.withDetail("members", this.ownership.memberReplicas())
                .withDetail("ownedPartitions", this.ownership.ownedPartitions())
                .withDetail("partitions", this.ownership.partitionCount())
                .withDetail("heldDevices", this.ownership.heldLocally())
                .withDetail("cutOff", this.ownership.inMinority());
        }
        catch (RuntimeException ex) {
            return Health.outOfService().withDetail("replica", this.ownership.replica())
                .withDetail("error", "The grid member is not running: " + ex.getClass().getSimpleName())
                .build();
        }
        return health.build();
    }

    /** The {@code cluster} component of a gateway without a cluster: always UP, it owns every device. */
    static HealthIndicator single(String replica) {
        return () -> Health.up().withDetail("replica", replica).withDetail("mode", "single").build();
    }
}
