package io.iotgateway.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import io.iotgateway.testsupport.FreePorts;

import static org.awaitility.Awaitility.await;

/**
 * Embedded Hazelcast members of one test cluster in this JVM, on loopback only: each on a port picked free, joined by
 * TCP-IP to the static list of all of them (as {@code gateway.cluster.members} lists them), no multicast, no
 * auto-detection, no phone home, small thread pools and quiet logs, so ten of them start in seconds on two cores. The
 * cluster name is unique, so two test clusters of one run never merge. {@link #close()} terminates the members still
 * running.
 */
final class HazelcastTestMembers implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    // strong reference: java.util.logging forgets the level of a logger nobody holds
    private static final Logger HAZELCAST_LOGS = Logger.getLogger("com.hazelcast");

    static {
        // INFO tells of every join, migration and connection: tens of lines per member
        HAZELCAST_LOGS.setLevel(Level.WARNING);
    }

    private final String clusterName = "test-" + UUID.randomUUID();

    private final List<Integer> ports;

    private final List<HazelcastInstance> started = new ArrayList<>();

    private HazelcastTestMembers(List<Integer> ports) {
        this.ports = List.copyOf(ports);
    }

    /** Ports for {@code count} members, free when picked; no member starts yet. */
    static HazelcastTestMembers onFreePorts(int count) {
        return new HazelcastTestMembers(FreePorts.distinct(count));
    }

    /** The configuration of the member on the {@code index}th port. */
    Config memberConfig(int index) {
        Config config = new Config();
        config.setClusterName(this.clusterName);
        config.setInstanceName(this.clusterName + "-" + index);
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.setProperty("hazelcast.slow.operation.detector.enabled", "false");
        // the defaults size these by the cores, per member: ten members would run hundreds of threads
        config.setProperty("hazelcast.operation.thread.count", "1");
        config.setProperty("hazelcast.operation.generic.thread.count", "1");
        config.setProperty("hazelcast.operation.priority.generic.thread.count", "1");
        config.setProperty("hazelcast.operation.response.thread.count", "1");
        config.setProperty("hazelcast.io.thread.count", "1");
        config.setProperty("hazelcast.event.thread.count", "1");
        config.setProperty("hazelcast.clientengine.thread.count", "1");
        config.setProperty("hazelcast.clientengine.query.thread.count", "1");
        config.setProperty("hazelcast.clientengine.blocking.thread.count", "1");
        config.setProperty("hazelcast.mc.executor.thread.count", "1");
        // the default waits 5 s for more members before joining: the list is static, nobody else comes
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getJetConfig().setEnabled(false);
        config.getMetricsConfig().setEnabled(false);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(this.ports.get(index)).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(LOOPBACK);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig()
            .setEnabled(true)
            .setMembers(this.ports.stream().map(port -> LOOPBACK + ":" + port).toList());
        return config;
    }

    /** Starts the member on the {@code index}th port; it has joined the others when this returns. */
    HazelcastInstance start(int index) {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(memberConfig(index));
        this.started.add(member);
        return member;
    }

    /** Starts a member on every port, one after another, and waits until they form one safe cluster. */
    List<HazelcastInstance> startAll(Duration timeout) {
        List<HazelcastInstance> members = new ArrayList<>();
        for (int i = 0; i < this.ports.size(); i++) {
            members.add(start(i));
        }
        awaitSafe(members, timeout);
        return members;
    }

    /**
     * Waits until {@code members} are one cluster at rest: each sees exactly them, the cluster is safe (no migration
     * under way, every partition's backups in sync) and each has the same partition table, every partition owned by
     * one of them. Safe alone is not enough: a new cluster is safe before it has assigned its partitions, which it
     * does on the first question about an owner (asked here).
     */
    static void awaitSafe(List<HazelcastInstance> members, Duration timeout) {
        Set<UUID> memberIds = members.stream()
            .map(member -> member.getCluster().getLocalMember().getUuid())
            .collect(Collectors.toSet());
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> isAtRest(members, memberIds));
    }

    private static boolean isAtRest(List<HazelcastInstance> members, Set<UUID> memberIds) {
        Map<Integer, UUID> agreed = null;
        for (HazelcastInstance member : members) {
            if (member.getCluster().getMembers().size() != members.size()
                    || !member.getPartitionService().isClusterSafe()) {
                return false;
            }
            Map<Integer, UUID> table = partitionTable(member);
            if (table.size() != member.getPartitionService().getPartitions().size()
                    || !memberIds.containsAll(table.values()) || (agreed != null && !agreed.equals(table))) {
                return false;
            }
            agreed = table;
        }
        return true;
    }

    /** The owner of each partition as {@code member} sees it; a partition without an owner yet is left out. */
    static Map<Integer, UUID> partitionTable(HazelcastInstance member) {
        Map<Integer, UUID> table = new HashMap<>();
        for (Partition partition : member.getPartitionService().getPartitions()) {
            Member owner = partition.getOwner();
            if (owner != null) {
                table.put(partition.getPartitionId(), owner.getUuid());
            }
        }
        return table;
    }

    @Override
    public void close() {
        for (HazelcastInstance member : this.started) {
            if (member.getLifecycleService().isRunning()) {
                member.getLifecycleService().terminate();
            }
        }
    }
}
