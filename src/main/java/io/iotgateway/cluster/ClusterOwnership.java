package io.iotgateway.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicates;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.InvalidDeviceIdException;
import io.iotgateway.mqtt.DeviceOwnership;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Who owns each device, from the grid: the owner of the device id's partition owns the device. Partitions move when
 * members join or leave, so a map in the grid, {@value #HOLDERS}, says which member holds each device's connection
 * right now (its value: the member's id, or empty once handed over): a new owner connects a device only when no
 * other live member holds it, so that two replicas never log the device in at once and the platform kicks no one.
 * The entry lives in the device's own partition, so it moves (with its backup) with the device.
 * <p>
 * A member cut off from most of the cluster (fewer members than the ones it saw fail, as after a network
 * partition) connects nothing: the others have taken its devices over, and a login of its own would kick theirs.
 */
final class ClusterOwnership implements DeviceOwnership, MembershipListener, DisposableBean {

    static final String HOLDERS = "gateway-device-holders";

    static final String LEAVING = "gateway-leaving";

    static final String REPLICA_ATTRIBUTE = "replica";

    static final String HTTP_PORT_ATTRIBUTE = "http-port";

    // a member that failed counts against the majority this long; then it is taken as gone for good
    private static final Duration FAILED_MEMBER_MEMORY = Duration.ofMinutes(10);

    private static final Duration CLAIM_POLL = Duration.ofMillis(50);

    private static final Log log = LogFactory.getLog(ClusterOwnership.class);

    private final HazelcastInstance hazelcast;

    private final PartitionService partitions;

    private final IMap<String, String> holders;

    private final IMap<String, String> leaving;

    private final String replica;

    private final Duration handOverWait;

    private final Clock clock;

    private final Counter takeOvers;

    private final Counter handOvers;

    // the application is ready: this member may take its share of the devices
    private volatile boolean ready;

    // notices that this process stood still (SIGSTOP, a long GC pause, a frozen VM) long enough to lose its devices
    private final PauseWatch pauses;

    // members that left without saying so (crashed, or cut off), and when
    private final Map<UUID, Instant> failed = new ConcurrentHashMap<>();

    ClusterOwnership(HazelcastInstance hazelcast, String replica, Duration handOverWait, Duration failureTimeout,
            Clock clock, MeterRegistry meterRegistry) {
        this.hazelcast = hazelcast;
        this.pauses = new PauseWatch(failureTimeout);
        this.takeOvers = Counter.builder("gateway.cluster.takeovers")
            .description("Devices this replica connected after another replica handed them over or failed")
            .register(meterRegistry);
        this.handOvers = Counter.builder("gateway.cluster.handovers")
            .description("Devices this replica disconnected to hand them to their new owner")
            .register(meterRegistry);
        Gauge.builder("gateway.cluster.devices.owned", this, ClusterOwnership::heldLocally)
            .description("Devices whose connection this replica holds")
            .register(meterRegistry);
        this.partitions = hazelcast.getPartitionService();
        this.holders = hazelcast.getMap(HOLDERS);
        this.leaving = hazelcast.getMap(LEAVING);
        this.replica = replica;
        this.handOverWait = handOverWait;
        this.clock = clock;
        hazelcast.getCluster().addMembershipListener(this);
    }

    /**
     * Takes this replica's share of the devices once the application is ready (the web server up, the pool
     * started): until then it is a lite member, which owns no partitions, so no request is forwarded to it.
     */
    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void takeShare() {
        this.ready = true;
        takeShareIfReady();
        loadClasses();
    }

    /**
     * Runs every grid operation the pool's virtual threads use (claims, releases, hand-overs) once, on this platform
     * thread: a virtual thread that loads a class is pinned to its carrier, and a hand-over or a shutdown runs them
     * in many virtual threads at once (see PahoClasses).
     */
    private void loadClasses() {
        String local = localId();
        String probe = "warmUp/" + local;
        this.holders.putIfAbsent(probe, local);
        this.holders.replace(probe, local, "");
        this.holders.replace(probe, "", local);
        this.holders.remove(probe, local);
        this.holders.localKeySet(Predicates.equal("this", local));
        ownsLocally(DeviceId.parse("warmUp", "warm-up"));
    }

    /**
     * Promotes this lite member once the application is ready; again after a merge that followed a network
     * partition, which rejoins the member as its configuration made it (lite). Called by every sweep.
     */
    void takeShareIfReady() {
        Member local = this.hazelcast.getCluster().getLocalMember();
        if (this.ready && local.isLiteMember()) {
            this.hazelcast.getCluster().promoteLocalLiteMember();
            log.info("Replica " + this.replica + " takes its share of the devices; members: " + memberReplicas());
        }
    }

    @Override
    public String replica() {
        return this.replica;
    }

    @Override
    public @Nullable String ownerOf(DeviceId device) {
        Member owner = ownerMember(device);
        return (owner != null) ? replicaOf(owner) : null;
    }

    @Override
    public boolean ownsLocally(DeviceId device) {
        Member owner = ownerMember(device);
        return owner != null && owner.localMember();
    }

    /**
     * The member that owns the device, or {@code null} while its partition has none (a move under way, or no member
     * has taken its share yet).
     */
    @Nullable Member ownerMember(DeviceId device) {
        if (!hasDataMembers()) {
            // asking would make the grid try (and warn) to assign partitions with no member to take them
            return null;
        }
        return this.partitions.getPartition(device.toString()).getOwner();
    }

    /** Whether some member, this one or another, has taken its share of the devices (is no lite member). */
    boolean hasDataMembers() {
        return this.hazelcast.getCluster().getMembers().stream().anyMatch(member -> !member.isLiteMember());
    }

    /** Whether this member has taken its share (it is a lite member until the application is ready). */
    boolean takesShare() {
        return !this.hazelcast.getCluster().getLocalMember().isLiteMember();
    }

    static String replicaOf(Member member) {
        String name = member.getAttribute(REPLICA_ATTRIBUTE);
        return (name != null) ? name : member.getAddress().toString();
    }

    @Override
    public void claim(DeviceId device) {
        if (inMinority()) {
            throw moving(device, "This replica is cut off from most of the cluster; the others serve device "
                    + device + " meanwhile.");
        }
        long deadline = System.nanoTime() + this.handOverWait.toNanos();
        String key = device.toString();
        while (true) {
            Member owner = ownerMember(device);
            if (owner == null) {
                throw moving(device, "Device " + device + " is moving between replicas.");
            }
            if (!owner.localMember()) {
                throw moving(device, "Device " + device + " moved to replica " + replicaOf(owner) + ".");
            }
            String holder;
            try {
                String self = localId();
                holder = this.holders.putIfAbsent(key, self);
                if (holder == null || holder.equals(self)) {
                    return;
                }
                // handed over, or held by a member that is gone: take it
                if ((holder.isEmpty() || !isMember(holder)) && this.holders.replace(key, holder, self)) {
                    this.takeOvers.increment();
                    return;
                }
            }
            catch (HazelcastException ex) {
                throw moving(device, "The cluster cannot say who holds device " + device + " now.");
            }
            if (System.nanoTime() > deadline) {
                throw moving(device, "Device " + device + " is still connected by replica " + replicaOfId(holder)
                        + ", which is handing it over.");
            }
            sleep(CLAIM_POLL);
        }
    }

    @Override
    public boolean mayConnectNow(DeviceId device) {
        if (!ownsLocally(device) || inMinority()) {
            return false;
        }
        try {
            String holder = this.holders.get(device.toString());
            return holder == null || holder.isEmpty() || holder.equals(localId()) || !isMember(holder);
        }
        catch (HazelcastException ex) {
            return false;
        }
    }

    /** The partition the device belongs to: it moves between members with all of its devices. */
    int partitionOf(DeviceId device) {
        return this.partitions.getPartition(device.toString()).getPartitionId();
    }

    @Override
    public void release(DeviceId device) {
        update(device, () -> this.holders.remove(device.toString(), localId()));
    }

    @Override
    public void handOver(DeviceId device) {
        update(device, () -> {
            if (this.holders.replace(device.toString(), localId(), "")) {
                this.handOvers.increment();
            }
        });
    }

    private void update(DeviceId device, Runnable change) {
        try {
            change.run();
        }
        catch (HazelcastException ex) {
            // the member is shutting down or cut off: the others take the device over as a failed member's
            log.debug("Could not record the release of device " + device + ": " + ex);
        }
    }

    /**
     * The devices this replica owns whose connection nobody holds: handed over by their previous owner, or held by
     * a member that failed. They had connections, so their new owner connects them ahead of traffic. Empty while
     * this replica is in a minority.
     */
    List<DeviceId> devicesToTakeOver() {
        if (!takesShare() || inMinority()) {
            return List.of();
        }
        Set<String> members = memberIds();
        Set<String> keys = this.holders.localKeySet(Predicates.or(Predicates.equal("this", ""),
                Predicates.not(Predicates.in("this", members.toArray(String[]::new)))));
        List<DeviceId> devices = new ArrayList<>(keys.size());
        for (String key : keys) {
            try {
                devices.add(DeviceId.parse(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)));
            }
            catch (InvalidDeviceIdException | StringIndexOutOfBoundsException ex) {
                this.holders.remove(key);
            }
        }
        return devices;
    }

    /** How many devices' connections this replica holds, as the grid records it. */
    int heldLocally() {
        if (!takesShare()) {
            return 0;
        }
        return this.holders.localKeySet(Predicates.equal("this", localId())).size();
    }

    /** How many partitions, of all, this member owns. */
    int ownedPartitions() {
        Member local = this.hazelcast.getCluster().getLocalMember();
        if (local.isLiteMember()) {
            return 0;
        }
        return (int) this.partitions.getPartitions().stream().filter(p -> local.equals(p.getOwner())).count();
    }

    int partitionCount() {
        return this.partitions.getPartitions().size();
    }

    List<String> memberReplicas() {
        return this.hazelcast.getCluster().getMembers().stream().map(ClusterOwnership::replicaOf).sorted().toList();
    }

    /**
     * Whether this member sees fewer members than it saw fail recently: cut off from the majority (a network
     * partition, a pause longer than the failure timeout), so the others have its devices. A member that left
     * on purpose is no failure; two halves of equal size both serve (their kicks back off, see docs/cluster.md).
     */
    boolean inMinority() {
        if (this.pauses.pausedRecently()) {
            // the others may have taken this replica's devices while it stood still, and its view of the cluster is
            // stale until it has talked to them again: no login, or it would kick the new owners' connections
            return true;
        }
        Instant forgotten = this.clock.instant().minus(FAILED_MEMBER_MEMORY);
        this.failed.values().removeIf(at -> at.isBefore(forgotten));
        int members = this.hazelcast.getCluster().getMembers().size();
        return members < this.failed.size();
    }

    /** Whether this member is running in a cluster, at least a majority of it, and owns its share of it. */
    boolean ownsItsShare() {
        if (!this.hazelcast.getLifecycleService().isRunning() || !takesShare() || inMinority()) {
            return false;
        }
        int members = this.hazelcast.getCluster().getMembers().size();
        return members > partitionCount() || ownedPartitions() > 0;
    }

    /**
     * This member's id as the grid knows it now: a member that merges back after a split brain gets a new one, and
     * a holder recorded under the old one would look like a failed member's to the others, who would take its
     * devices over while it still holds them.
     */
    private String localId() {
        return this.hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    private Set<String> memberIds() {
        return this.hazelcast.getCluster()
            .getMembers()
            .stream()
            .map(member -> member.getUuid().toString())
            .collect(Collectors.toSet());
    }

    private boolean isMember(String memberId) {
        return memberIds().contains(memberId);
    }

    private String replicaOfId(@Nullable String memberId) {
        return this.hazelcast.getCluster()
            .getMembers()
            .stream()
            .filter(member -> member.getUuid().toString().equals(memberId))
            .findFirst()
            .map(ClusterOwnership::replicaOf)
            .orElse("(gone)");
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        // a member joined (or the cut-off side merged back): the cluster is whole again as far as it can tell
        this.failed.clear();
        this.pauses.rejoined();
        log.info("Replica " + replicaOf(event.getMember()) + " joined the cluster; members: " + memberReplicas());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        UUID gone = event.getMember().getUuid();
        if (leftOnPurpose(gone)) {
            log.info("Replica " + replicaOf(event.getMember()) + " left the cluster; members: " + memberReplicas());
        }
        else {
            this.failed.put(gone, this.clock.instant());
            log.warn("Replica " + replicaOf(event.getMember()) + " failed or was cut off; its devices move to "
                    + "the others; members: " + memberReplicas());
        }
    }

    // written before the member shut down, in a map with a backup: no race with the membership event (a topic was)
    private boolean leftOnPurpose(UUID member) {
        try {
            return this.leaving.containsKey(member.toString());
        }
        catch (HazelcastException ex) {
            return false;
        }
    }

    /**
     * Records that this member leaves on purpose, before the grid shuts it down (after the pool has handed its
     * devices over), so that the others do not count it as failed against their majority.
     */
    @Override
    public void destroy() {
        this.pauses.stop();
        try {
            this.leaving.set(localId(), this.replica, FAILED_MEMBER_MEMORY.toMinutes(), TimeUnit.MINUTES);
        }
        catch (HazelcastException ex) {
            log.debug("Could not record the leave: " + ex);
        }
    }

    private static GatewayException moving(DeviceId device, String detail) {
        return new GatewayException(ProblemType.DEVICE_MOVING, detail).with("device", device.toString())
            .retryAfter(Duration.ofSeconds(1));
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new GatewayException(ProblemType.DEVICE_MOVING, "Interrupted while waiting for a hand-over.");
        }
    }
}
