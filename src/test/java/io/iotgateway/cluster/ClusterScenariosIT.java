package io.iotgateway.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.iotgateway.cluster.GatewayCluster.Slot;
import io.iotgateway.cluster.Traffic.Exchange;
import io.iotgateway.testsupport.BrokerLog;
import io.iotgateway.testsupport.EnabledIfMosquittoInstalled;
import io.iotgateway.testsupport.PostgresDatabase;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three gateway replicas as separate JVMs (the packaged jar), members of one cluster on loopback, with 300 devices
 * in a shared PostgreSQL registry, publishing to a real mosquitto that logs every login and keeps one connection
 * per device as the platform does ({@link io.iotgateway.testsupport.PlatformKicks}). Traffic goes to every replica
 * in rotation for every device; the scenarios share the cluster, in order, each starting with three ready replicas:
 * steady state, a replica killed (SIGKILL), a member frozen (SIGSTOP) past failure detection and thawed, a rolling
 * restart (SIGTERM), scaling 2 -> 3 -> 2. Each prints what it measured as a {@code CLUSTER-FIGURES} line (also in
 * {@code target/cluster-it/ClusterScenariosIT/figures.txt}, beside the replicas' and the broker's logs).
 * <p>
 * {@code -Dcluster-it.rate=N} changes the total request rate (150 a second by default: half a message a second per
 * device, a twentieth of the platform's limit).
 */
@EnabledIfMosquittoInstalled
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterScenariosIT {

    private static final int DEVICES = 300;

    private static final int RATE = Integer.getInteger("cluster-it.rate", 150);

    private static final List<String> NAMES = List.of("r1", "r2", "r3");

    // longer than any bound of the gateway's own (forwarding, completion timeout), so that it answers first
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration RECEIVED_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration OWNERSHIP_TIMEOUT = Duration.ofSeconds(90);

    // failure detection (about 5-10 s) and the reconnects of a third of the devices at the connect rate
    private static final Duration REPUBLISH_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration SETTLE_WINDOW = Duration.ofSeconds(10);

    private static final long CLASS_STARTED = System.nanoTime();

    private static GatewayCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Assumptions.assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        assertThat(GatewayCluster.jar()).as("the packaged gateway (mvn package)").isRegularFile();
        cluster = GatewayCluster.prepare(GatewayCluster.jar(), GatewayCluster.outputFor(ClusterScenariosIT.class),
                NAMES.size(), true, ClusterDevices.of(DEVICES), List.of());
        Map<String, Object> figures = new LinkedHashMap<>();
        for (Slot slot : cluster.slots()) {
            cluster.start(slot, NAMES.get(slot.number() - 1));
        }
        for (Slot slot : cluster.slots()) {
            figures.put(slot.name() + "StartMs", cluster.awaitReady(slot).toMillis());
        }
        var imported = cluster.importDevices(cluster.slot(1));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).contains("\"created\":" + DEVICES, "\"rejected\":0");
        figures.put("clusterUpMs", Duration.ofNanos(System.nanoTime() - CLASS_STARTED).toMillis());
        TrafficChecks.printFigures(cluster.output(), "start", figures);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            TrafficChecks.printFigures(cluster.output(), "class",
                    Map.of("totalMs", Duration.ofNanos(System.nanoTime() - CLASS_STARTED).toMillis(), "platformKicks",
                            cluster.platformKicks().kicks()));
            cluster.close();
        }
    }

    /** Three ready replicas whose owners agree, whatever the scenario before left. */
    @BeforeEach
    void threeReadyReplicas() {
        for (Slot slot : cluster.slots()) {
            if (!slot.isRunning()) {
                cluster.start(slot, NAMES.get(slot.number() - 1));
                cluster.awaitReady(slot);
            }
            cluster.putInRotation(slot);
        }
        awaitOwners(names(cluster.running()));
    }

    @Test
    @Order(1)
    void steadyStateOwnsEveryDeviceOnceWithoutKicks() {
        Map<String, Object> figures = new LinkedHashMap<>();
        // every device's first message: its owner connects it, within the connect rate
        List<Exchange> warmUp = runUntilEveryDeviceAcknowledged("warm-up", figures);
        TrafficChecks.assertAnswers(warmUp, TrafficChecks::acknowledgedOrRetryLater, "200 or 503 with Retry-After");

        int mark = cluster.brokerLog().lineCount();
        List<Exchange> steady;
        try (Traffic traffic = startTraffic("steady")) {
            runFor(Duration.ofSeconds(10));
            steady = traffic.stop(REQUEST_TIMEOUT);
        }

        Map<String, String> owners = cluster.owners(cluster.slot(1));
        assertThat(owners.values()).as("owners").allSatisfy((owner) -> assertThat(owner).isIn(NAMES));
        assertThat(GatewayCluster.countByOwner(owners)).as("devices per owner").containsOnlyKeys(NAMES);
        // every replica answers the same owner
        assertThat(cluster.owners(cluster.slot(2))).isEqualTo(owners);
        assertThat(cluster.owners(cluster.slot(3))).isEqualTo(owners);
        TrafficChecks.assertAnswers(steady, Exchange::acknowledged, "200 in steady state");
        TrafficChecks.assertAcknowledgedReceived(warmUp, cluster.subscriber()::messages, RECEIVED_TIMEOUT);
        TrafficChecks.assertAcknowledgedReceived(steady, cluster.subscriber()::messages, RECEIVED_TIMEOUT);
        BrokerLog log = cluster.brokerLog();
        assertThat(log.doubleLogins()).as("logins of a device while another was open").isEmpty();
        assertThat(log.kicks()).isEmpty();
        // one connection per device, at the end of the window
        assertThat(log.openLoginsByDevice()).hasSize(DEVICES)
            .allSatisfy((device, open) -> assertThat(open).hasSize(1));

        figures.put("devicesPerOwner", GatewayCluster.countByOwner(owners));
        figures.put("requests", steady.size());
        figures.put("perSecond", steady.size() / 10);
        figures.put("requestsPerReplica", TrafficChecks.byReplica(steady));
        figures.put("forwarded", steady.stream().filter((e) -> !e.replica().equals(owners.get(e.device()))).count());
        figures.put("answers", TrafficChecks.outcomes(steady));
        figures.putAll(TrafficChecks.spread("latency", steady.stream().map(Exchange::latency).toList()));
        figures.put("loginsSinceWarmUp", log.loginsSince(mark).size());
        TrafficChecks.printFigures(cluster.output(), "steady-state", figures);
    }

    @Test
    @Order(2)
    void aKilledReplicasDevicesArePublishedAgainWithinABound() {
        Slot victim = cluster.slot(2);
        Map<String, String> before = cluster.owners(cluster.slot(1));
        List<String> moved = devicesOwnedBy(before, victim.name());
        assertThat(moved).as("devices of " + victim.name()).isNotEmpty();
        int mark = cluster.brokerLog().lineCount();

        long killedAt;
        List<Exchange> exchanges;
        try (Traffic traffic = startTraffic("kill")) {
            runFor(Duration.ofSeconds(3));
            killedAt = cluster.kill(victim);
            awaitRepublished(traffic, moved, killedAt, "after SIGKILL of " + victim.name());
            runFor(Duration.ofSeconds(3));
            exchanges = traffic.stop(REQUEST_TIMEOUT);
        }

        Map<String, Duration> republished = TrafficChecks.firstAcknowledgedAfter(exchanges, moved, killedAt);
        Map<String, String> after = cluster.owners(cluster.slot(1));
        List<String> survivors = List.of(cluster.slot(1).name(), cluster.slot(3).name());
        assertThat(after.values()).as("owners after the kill").allSatisfy((owner) -> assertThat(owner).isIn(survivors));
        TrafficChecks.assertAcknowledgedReceived(exchanges, cluster.subscriber()::messages, RECEIVED_TIMEOUT);
        // requests to the killed replica fail with it; every other one is answered, never with a 500
        TrafficChecks.assertAnswers(exchanges,
                (exchange) -> exchange.status() != 500
                        && (exchange.status() != 503 || exchange.retryAfter() != null)
                        && (exchange.status() >= 0 || exchange.replica().equals(victim.name())),
                "no 500, 503 with Retry-After, answered unless sent to the killed replica");
        BrokerLog log = cluster.brokerLog();
        assertThat(log.doubleLoginsSince(mark)).as("double logins after the kill")
            .allSatisfy((twice) -> assertThat(twice.device()).isIn(moved));
        assertThat(log.doubleLoginsByDeviceSince(mark)).as("double logins per device")
            .allSatisfy((device, count) -> assertThat(count).isLessThanOrEqualTo(1));

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("killed", victim.name());
        figures.put("movedDevices", moved.size());
        figures.putAll(TrafficChecks.spread("republished", republished.values()));
        figures.put("doubleLogins", log.doubleLoginsSince(mark).size());
        figures.put("kicks", log.kicksSince(mark).size());
        figures.put("answers", TrafficChecks.outcomes(exchanges));
        figures.put("devicesPerOwnerAfter", GatewayCluster.countByOwner(after));

        cluster.start(victim, victim.name());
        figures.put("restartMs", cluster.awaitReady(victim).toMillis());
        awaitOwners(NAMES);
        TrafficChecks.printFigures(cluster.output(), "kill-9", figures);
    }

    @Test
    @Order(3)
    void aFrozenMemberIsReplacedAndRejoinsWithoutAKickStorm() {
        Slot victim = cluster.slot(3);
        Map<String, String> before = cluster.owners(cluster.slot(1));
        List<String> owned = devicesOwnedBy(before, victim.name());
        assertThat(owned).as("devices of " + victim.name()).isNotEmpty();
        int mark = cluster.brokerLog().lineCount();
        Map<String, Object> figures = new LinkedHashMap<>();

        long frozenAt;
        int settled;
        List<Exchange> exchanges;
        try (Traffic traffic = startTraffic("partition")) {
            runFor(Duration.ofSeconds(3));
            // a load balancer stops sending to it; the others still believe it a member until failure detection
            cluster.takeOutOfRotation(victim);
            awaitNothingInFlight(traffic, victim);
            victim.process().freeze();
            frozenAt = System.nanoTime();
            try {
                awaitRepublished(traffic, owned, frozenAt, "while " + victim.name() + " is frozen");
                awaitOwners(List.of(cluster.slot(1).name(), cluster.slot(2).name()));
                figures.put("frozenMs", Duration.ofNanos(System.nanoTime() - frozenAt).toMillis());
            }
            finally {
                victim.process().thaw();
            }
            long thawedAt = System.nanoTime();
            cluster.awaitReady(victim);
            awaitOwners(NAMES);
            figures.put("rejoinedMs", Duration.ofNanos(System.nanoTime() - thawedAt).toMillis());
            settled = cluster.brokerLog().lineCount();
            runFor(SETTLE_WINDOW);
            exchanges = traffic.stop(REQUEST_TIMEOUT);
        }

        BrokerLog log = cluster.brokerLog();
        TrafficChecks.assertAcknowledgedReceived(exchanges, cluster.subscriber()::messages, RECEIVED_TIMEOUT);
        TrafficChecks.assertAnswers(exchanges,
                (exchange) -> exchange.status() >= 0 && exchange.status() != 500
                        && (exchange.status() != 503 || exchange.retryAfter() != null),
                "answered in time, no 500, 503 with Retry-After");
        // the frozen member still held its sockets: at most one kick per device it owned, none once it is back
        assertThat(log.doubleLoginsSince(mark)).as("double logins since the freeze")
            .hasSizeLessThanOrEqualTo(owned.size())
            .allSatisfy((twice) -> assertThat(twice.device()).isIn(owned));
        assertThat(log.doubleLoginsByDeviceSince(mark))
            .allSatisfy((device, count) -> assertThat(count).isLessThanOrEqualTo(1));
        assertThat(log.doubleLoginsSince(settled)).as("double logins in the settle window").isEmpty();
        assertThat(log.kicksSince(settled)).as("kicks in the settle window").isEmpty();
        assertThat(victim.process().get("/actuator/health/readiness")).isEqualTo(200);
        Map<String, String> after = cluster.owners(cluster.slot(3));
        assertThat(GatewayCluster.countByOwner(after)).as("devices per owner after the rejoin").containsKey(victim.name());

        figures.put("frozen", victim.name());
        figures.put("ownedDevices", owned.size());
        figures.putAll(TrafficChecks.spread("takenOver",
                TrafficChecks.firstAcknowledgedAfter(exchanges, owned, frozenAt).values()));
        figures.put("doubleLogins", log.doubleLoginsSince(mark).size());
        figures.put("kicks", log.kicksSince(mark).size());
        figures.put("kicksInSettleWindow", log.kicksSince(settled).size());
        figures.put("answers", TrafficChecks.outcomes(exchanges));
        figures.put("devicesPerOwnerAfter", GatewayCluster.countByOwner(after));
        TrafficChecks.printFigures(cluster.output(), "partition", figures);
    }

    @Test
    @Order(4)
    void aRollingRestartAnswersOnly200Or503AndKicksNoDevice() {
        int mark = cluster.brokerLog().lineCount();
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Exchange> exchanges;
        try (Traffic traffic = startTraffic("rolling")) {
            runFor(Duration.ofSeconds(3));
            for (Slot slot : cluster.slots()) {
                figures.put(slot.name() + "StopMs", stopGracefully(traffic, slot).toMillis());
                cluster.start(slot, slot.name());
                figures.put(slot.name() + "StartMs", cluster.awaitReady(slot).toMillis());
                awaitOwners(NAMES);
            }
            runFor(Duration.ofSeconds(3));
            exchanges = traffic.stop(REQUEST_TIMEOUT);
        }

        assertPlannedMoves(exchanges, mark, figures);
        TrafficChecks.printFigures(cluster.output(), "rolling-restart", figures);
    }

    @Test
    @Order(5)
    void scalingTwoThreeTwoAnswersOnly200Or503AndKicksNoDevice() {
        int mark = cluster.brokerLog().lineCount();
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Exchange> exchanges;
        try (Traffic traffic = startTraffic("scale")) {
            runFor(Duration.ofSeconds(3));
            Slot third = cluster.slot(3);
            figures.put("stop1Ms", stopGracefully(traffic, third).toMillis());
            awaitOwners(names(cluster.running()));
            runFor(Duration.ofSeconds(5));

            // a fresh replica, not seen before, in the free slot
            cluster.start(third, "r4");
            figures.put("r4StartMs", cluster.awaitReady(third).toMillis());
            awaitOwners(names(cluster.running()));
            runFor(Duration.ofSeconds(5));

            figures.put("stop2Ms", stopGracefully(traffic, cluster.slot(1)).toMillis());
            awaitOwners(names(cluster.running()));
            runFor(Duration.ofSeconds(5));
            exchanges = traffic.stop(REQUEST_TIMEOUT);
        }

        figures.put("devicesPerOwnerAfter", GatewayCluster.countByOwner(cluster.owners(cluster.slot(2))));
        assertPlannedMoves(exchanges, mark, figures);
        TrafficChecks.printFigures(cluster.output(), "scale-2-3-2", figures);
    }

    /** What planned moves (SIGTERM, a new member) must keep: 200 or 503 with Retry-After, no kick, nothing lost. */
    private static void assertPlannedMoves(List<Exchange> exchanges, int mark, Map<String, Object> figures) {
        BrokerLog log = cluster.brokerLog();
        figures.put("answers", TrafficChecks.outcomes(exchanges));
        figures.put("logins", log.loginsSince(mark).size());
        figures.put("doubleLogins", log.doubleLoginsSince(mark).size());
        figures.put("kicks", log.kicksSince(mark).size());
        TrafficChecks.assertAnswers(exchanges, TrafficChecks::acknowledgedOrRetryLater, "200 or 503 with Retry-After");
        TrafficChecks.assertAcknowledgedReceived(exchanges, cluster.subscriber()::messages, RECEIVED_TIMEOUT);
        assertThat(log.doubleLoginsSince(mark)).as("logins of a device while another was open").isEmpty();
        assertThat(log.kicksSince(mark)).isEmpty();
    }

    /**
     * Takes the replica out of rotation, lets the requests sent to it finish (as a preStop wait does), sends
     * SIGTERM and returns how long it took to exit.
     */
    private static Duration stopGracefully(Traffic traffic, Slot slot) {
        cluster.takeOutOfRotation(slot);
        awaitNothingInFlight(traffic, slot);
        return cluster.terminate(slot);
    }

    private static void awaitNothingInFlight(Traffic traffic, Slot slot) {
        await(slot.name() + " answered what it was sent").atMost(REQUEST_TIMEOUT)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> traffic.inFlight(slot.name()) == 0);
    }

    /** Traffic until every device had a 200; returns its exchanges. */
    private static List<Exchange> runUntilEveryDeviceAcknowledged(String runId, Map<String, Object> figures) {
        try (Traffic traffic = startTraffic(runId)) {
            awaitRepublished(traffic, cluster.devices().ids(), traffic.startedNanos(), "from the start");
            figures.put(runId + "Ms", Duration.ofNanos(System.nanoTime() - traffic.startedNanos()).toMillis());
            return traffic.stop(REQUEST_TIMEOUT);
        }
    }

    /** Waits until each of the devices had a 200 for a request sent after {@code since}. */
    private static void awaitRepublished(Traffic traffic, List<String> devices, long since, String when) {
        try {
            await().atMost(REPUBLISH_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> TrafficChecks.firstAcknowledgedAfter(traffic.exchanges(), devices, since)
                    .size() == devices.size());
        }
        catch (ConditionTimeoutException ex) {
            List<Exchange> exchanges = traffic.exchanges();
            Set<String> done = TrafficChecks.firstAcknowledgedAfter(exchanges, devices, since).keySet();
            List<String> missing = devices.stream().filter((device) -> !done.contains(device)).toList();
            Set<String> missingSet = Set.copyOf(missing);
            throw new AssertionError(missing.size() + " of " + devices.size() + " devices had no 200 within "
                    + REPUBLISH_TIMEOUT.toSeconds() + " s " + when + ", e.g. " + missing.stream().limit(5).toList()
                    + "; their answers: " + TrafficChecks.outcomes(TrafficChecks.sentSince(exchanges, since)
                        .stream()
                        .filter((exchange) -> missingSet.contains(exchange.device()))
                        .toList()), ex);
        }
    }

    /**
     * Waits until every device is owned by one of {@code names} as the first of them answers, and each of them
     * owns some devices.
     */
    private static void awaitOwners(List<String> names) {
        Slot asked = cluster.running()
            .stream()
            .filter((slot) -> names.contains(slot.name()))
            .findFirst()
            .orElseThrow();
        List<Map<String, Long>> seen = new ArrayList<>();
        try {
            await("devices owned by " + names).atMost(OWNERSHIP_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Map<String, Long> perOwner = GatewayCluster.countByOwner(cluster.owners(asked));
                    seen.add(perOwner);
                    return perOwner.keySet().equals(Set.copyOf(names));
                });
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError("Devices per owner, as " + asked.name() + " answered, never became owned by "
                    + names + " alone within " + OWNERSHIP_TIMEOUT.toSeconds() + " s; last answers: "
                    + seen.subList(Math.max(0, seen.size() - 3), seen.size()), ex);
        }
    }

    /** Lets traffic run for {@code window}, failing if a replica in rotation exits meanwhile. */
    private static void runFor(Duration window) {
        List<Slot> up = cluster.inRotation();
        await("replicas " + names(up) + " running for " + window.toSeconds() + " s").during(window)
            .atMost(window.plusSeconds(5))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> up.stream().allMatch(Slot::isRunning));
    }

    private static Traffic startTraffic(String runId) {
        return Traffic.start(ClusterScenariosIT::targets, cluster.devices().ids(), RATE, REQUEST_TIMEOUT, runId);
    }

    private static List<Traffic.Target> targets() {
        return cluster.inRotation()
            .stream()
            .map((slot) -> new Traffic.Target(slot.name(), cluster.publisher(slot)))
            .toList();
    }

    private static List<String> devicesOwnedBy(Map<String, String> owners, String name) {
        return owners.entrySet()
            .stream()
            .filter((owner) -> owner.getValue().equals(name))
            .map(Map.Entry::getKey)
            .collect(Collectors.toList());
    }

    private static List<String> names(List<Slot> slots) {
        return slots.stream().map(Slot::name).toList();
    }

}
