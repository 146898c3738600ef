package io.iotgateway.cluster;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Collectors;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.DeviceConnectionPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps this replica's connections in line with the partition table, every second: devices it no longer owns are
 * drained and handed over, devices it now owns that had connections elsewhere (handed over to it, or left by a
 * failed member) are connected ahead of traffic at the connect rate. A sweep rather than the grid's migration
 * events: it sees every change however it came (join, leave, crash, a merge after a network partition) and repeats
 * whatever a sweep could not finish.
 * <p>
 * Stops before the connection pool does (phase 1 to the pool's 0), which then hands every device over itself.
 */
final class ClusterReconciler implements SmartLifecycle {

    private static final Duration PERIOD = Duration.ofSeconds(1);

    private static final Log log = LogFactory.getLog(ClusterReconciler.class);

    private final HazelcastInstance hazelcast;

    private final ClusterOwnership ownership;

    private final DeviceConnectionPool pool;

    private final TaskScheduler scheduler;

    private final Counter partitionsIn;

    private final Counter partitionsOut;

    private Set<Integer> ownedPartitions = Set.of();

    private volatile @Nullable ScheduledFuture<?> sweep;

    ClusterReconciler(HazelcastInstance hazelcast, ClusterOwnership ownership, DeviceConnectionPool pool,
            TaskScheduler scheduler, MeterRegistry meterRegistry) {
        this.hazelcast = hazelcast;
        this.ownership = ownership;
        this.pool = pool;
        this.scheduler = scheduler;
        this.partitionsIn = migrations(meterRegistry, "in");
        this.partitionsOut = migrations(meterRegistry, "out");
    }

    private static Counter migrations(MeterRegistry meterRegistry, String direction) {
        return Counter.builder("gateway.cluster.migrations")
            .description("Partitions (groups of devices) that moved to or away from this replica")
            .tag("direction", direction)
            .register(meterRegistry);
    }

    void reconcile() {
        try {
            if (!this.hazelcast.getLifecycleService().isRunning()) {
                return;
            }
            this.ownership.takeShareIfReady();
            if (!this.ownership.takesShare()) {
                return;
            }
            Set<Integer> gained = countMigrations();
            this.pool.handOverDevicesOwnedElsewhere();
            if (!gained.isEmpty()) {
                // the warm-up of the devices that came with the partitions (the others' come handed over)
                this.pool.warmUp(device -> gained.contains(this.ownership.partitionOf(device)));
            }
            List<DeviceId> takeOver = this.ownership.devicesToTakeOver();
            if (!takeOver.isEmpty()) {
                this.pool.connectAhead(takeOver);
            }
        }
        catch (HazelcastException ex) {
            // shutting down, or the member is being merged back: the next sweep tries again
            log.debug("Cluster sweep skipped: " + ex);
        }
        catch (RuntimeException ex) {
            log.warn("Cluster sweep failed; the next one retries: " + ex, ex);
        }
    }

    /** Counts the partitions that came and went since the last sweep; returns those that came. */
    private Set<Integer> countMigrations() {
        Member local = this.hazelcast.getCluster().getLocalMember();
        Set<Integer> owned = new HashSet<>();
        for (Partition partition : this.hazelcast.getPartitionService().getPartitions()) {
            if (local.equals(partition.getOwner())) {
                owned.add(partition.getPartitionId());
            }
        }
        Set<Integer> before = this.ownedPartitions;
        Set<Integer> gained = owned.stream().filter(id -> !before.contains(id)).collect(Collectors.toSet());
        this.partitionsIn.increment(gained.size());
        this.partitionsOut.increment(before.stream().filter(id -> !owned.contains(id)).count());
        this.ownedPartitions = owned;
        return gained;
    }

    @Override
    public void start() {
        if (this.sweep == null) {
            this.sweep = this.scheduler.scheduleWithFixedDelay(this::reconcile, PERIOD);
        }
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = this.sweep;
        this.sweep = null;
        if (running != null) {
            running.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return this.sweep != null;
    }

    @Override
    public int getPhase() {
        return 1;
    }
}
