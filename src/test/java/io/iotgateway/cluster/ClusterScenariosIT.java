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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three gateway replicas as separate JVMs (the packaged jar, started fast as {@link FastStartGateway} prepares it),
 * members of one cluster on loopback, with 300 devices in a shared PostgreSQL registry, publishing to a real
 * mosquitto that logs every login and keeps one connection per device as the platform does
 * ({@link io.iotgateway.testsupport.PlatformKicks}). Traffic goes to every replica in rotation for every device. The
 * scenarios share the cluster, in order, each starting from the replicas it needs (started or stopped, outside its
 * traffic, whatever the scenario before left): steady state, a member frozen (SIGSTOP) past failure detection and
 * thawed, a rolling restart (SIGTERM), a replica killed (SIGKILL), and scaling 2 -> 3 -> 2 from the two the kill
 * left. Each prints what it measured as a {@code CLUSTER-FIGURES} line (also in
 * {@code target/cluster-it/ClusterScenariosIT/figures.txt}, beside the replicas' and the broker's logs).
 * <p>
 * The windows of plain traffic are whole rounds over the devices (300 requests at the default rate, 2 s), so that
 * each device meets every replica in three: {@code -Dcluster-it.rate=N} changes the total request rate (150 a second
 * by default: half a message a second per device, a twentieth of the platform's limit).
 */
@EnabledIfMosquittoInstalled
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterScenariosIT {

    private static final int DEVICES = 300;

    private static final int RATE = Integer.getInteger("cluster-it.rate", 150);

    private static final List<String> NAMES = List.of("r1", "r2", "r3");

    // longer than any bound of the gateway's own (forward-timeout 30 s, completion timeout), so that it answers first
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

    private static final Duration RECEIVED_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration OWNERSHIP_TIMEOUT = Duration.ofSeconds(90);

    // every device's first message, the connects of all of them at the connect rate (100 a second)
    private static final Duration FIRST_PUBLISH_TIMEOUT = Duration.ofSeconds(60);

    // the bounds docs/cluster.md states, three to four times what this machine measured (kill -9: the members see
    // the closed connections at once, then a third of the devices connect at the connect rate, max 4-5 s; a frozen
    // member: the failure timeout of 10 s first, max 14-15 s); the CLUSTER-FIGURES lines say what it took
    private static final Duration REPUBLISHED_AFTER_KILL_BOUND = Duration.ofSeconds(20);

    private static final Duration TAKEN_OVER_AFTER_FREEZE_BOUND = Duration.ofSeconds(45);

    // one round over the devices: every device sends once, through one of the replicas
    private static final Duration ROUND = Duration.ofMillis(1000L * DEVICES / RATE);

    // three rounds: every device through every replica of three
    private static final Duration STEADY_WINDOW = ROUND.multipliedBy(3);

    private static final Duration SETTLE_WINDOW = ROUND.multipliedBy(3);

    // after a step of the scaling, before the next one
    private static final Duration STEP_WINDOW = ROUND.multipliedBy(2);

    private static final long CLASS_STARTED = System.nanoTime();

    private static GatewayCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Assumptions.assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        assertThat(GatewayCluster.jar()).as("the packaged gateway (mvn package)").isRegularFile();
        cluster = GatewayCluster.prepare(GatewayCluster.jar(), GatewayCluster.outputFor(ClusterScenariosIT.class),
                NAMES.size(), ClusterDevices.of(DEVICES), List.of());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("aotCache", cluster.startsWithAotCache());
        if (cluster.aotTraining() != null) {
            figures.put("aotTrainingMs", cluster.aotTraining().toMillis());
        }
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

    @Test
    @Order(1)
    void steadyStateOwnsEveryDeviceOnceWithoutKicks() {
        readyReplicas(cluster.slots());
        Map<String, Object> figures = new LinkedHashMap<>();
        // every device's first message: its owner connects it, within the connect rate
        List<Exchange> warmUp = runUntilEveryDeviceAcknowledged("warm-up", figures);
        TrafficChecks.assertAnswers(warmUp, TrafficChecks::acknowledgedOrRetryLater, "200 or 503 with Retry-After");

        int mark = cluster.brokerLog().lineCount();
        List<Exchange> steady;
        try (Traffic traffic = startTraffic("steady")) {
            runFor(STEADY_WINDOW);
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
        figures.put("perSecond", steady.size() / STEADY_WINDOW.toSeconds());
        figures.put("requestsPerReplica", TrafficChecks.byReplica(steady));
        figures.put("forwarded", steady.stream().filter((e) -> !e.replica().equals(owners.get(e.device()))).count());
        figures.put("answers", TrafficChecks.outcomes(steady));
        figures.putAll(TrafficChecks.spread("latency", steady.stream().map(Exchange::latency).toList()));
        figures.put("loginsSinceWarmUp", log.loginsSince(mark).size());
        TrafficChecks.printFigures(cluster.output(), "steady-state", figures);
    }

    @Test
    @Order(2)
    void aFrozenMemberIsReplacedAndRejoinsWithoutAKickStorm() {
        readyReplicas(cluster.slots());
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
            runFor(ROUND);
            // a load balancer stops sending to it; the others still believe it a member until failure detection
            cluster.takeOutOfRotation(victim);
            awaitNothingInFlight(traffic, victim);
            victim.process().freeze();
            frozenAt = System.nanoTime();
            try {
                awaitRepublished(traffic, owned, frozenAt, TAKEN_OVER_AFTER_FREEZE_BOUND,
                        "while " + victim.name() + " is frozen");
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
        // forwarded to the frozen member before the others noticed: 503 owner-unavailable, or 504 owner-timeout
        TrafficChecks.assertAnswers(exchanges, TrafficChecks::acknowledgedOrRetryLaterOrTimedOutAtOwner,
                "200, or 503 or 504 with Retry-After");
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
    @Order(3)
    void aRollingRestartAnswersOnly200Or503AndKicksNoDevice() {
        readyReplicas(cluster.slots());
        int mark = cluster.brokerLog().lineCount();
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Exchange> exchanges;
        try (Traffic traffic = startTraffic("rolling")) {
            runFor(ROUND);
            for (Slot slot : cluster.slots()) {
                figures.put(slot.name() + "StopMs", stopGracefully(traffic, slot).toMillis());
                cluster.start(slot, slot.name());
                figures.put(slot.name() + "StartMs", cluster.awaitReady(slot).toMillis());
                awaitOwners(NAMES);
            }
            runFor(ROUND);
            exchanges = traffic.stop(REQUEST_TIMEOUT);
        }

        assertPlannedMoves(exchanges, mark, figures);
        TrafficChecks.printFigures(cluster.output(), "rolling-restart", figures);
    }

    @Test
    @Order(4)
    void aKilledReplicasDevicesArePublishedAgainWithinABound() {
        readyReplicas(cluster.slots());
        Slot victim = cluster.slot(2);
        Map<String, String> before = cluster.owners(cluster.slot(1));
        List<String> moved = devicesOwnedBy(before, victim.name());
        assertThat(moved).as("devices of " + victim.name()).isNotEmpty();
        int mark = cluster.brokerLog().lineCount();

        long killedAt;
        List<Exchange> exchanges;
        try (Traffic traffic = startTraffic("kill")) {
            runFor(ROUND);
            killedAt = cluster.kill(victim);
            awaitRepublished(traffic, moved, killedAt, REPUBLISHED_AFTER_KILL_BOUND,
                    "after SIGKILL of " + victim.name());
            runFor(ROUND);
            exchanges = traffic.stop(REQUEST_TIMEOUT);
        }

        Map<String, Duration> republished = TrafficChecks.firstAcknowledgedAfter(exchanges, moved, killedAt);
        Map<String, String> after = cluster.owners(cluster.slot(1));
        List<String> survivors = List.of(cluster.slot(1).name(), cluster.slot(3).name());
        assertThat(after.values()).as("owners after the kill").allSatisfy((owner) -> assertThat(owner).isIn(survivors));
        TrafficChecks.assertAcknowledgedReceived(exchanges, cluster.subscriber()::messages, RECEIVED_TIMEOUT);
        // requests to the killed replica fail with it; every other one is answered
        TrafficChecks.assertAnswers(exchanges,
                (exchange) -> TrafficChecks.acknowledgedOrRetryLaterOrTimedOutAtOwner(exchange)
                        || (exchange.status() < 0 && exchange.replica().equals(victim.name())),
                "200, or 503 or 504 with Retry-After; no answer only from the killed replica");
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
        TrafficChecks.printFigures(cluster.output(), "kill-9", figures);
    }

    @Test
    @Order(5)
    void scalingTwoThreeTwoAnswersOnly200Or503AndKicksNoDevice() {
        // the two the kill left, or any two
        Slot first = cluster.slot(1);
        Slot added = cluster.slot(2);
        Slot last = cluster.slot(3);
        readyReplicas(List.of(first, last));
        int mark = cluster.brokerLog().lineCount();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("devicesPerOwnerBefore", GatewayCluster.countByOwner(cluster.owners(last)));
        List<Exchange> exchanges;
        try (Traffic traffic = startTraffic("scale")) {
            runFor(ROUND);
            // a fresh replica, not seen before, in the free slot
            cluster.start(added, "r4");
            figures.put("r4StartMs", cluster.awaitReady(added).toMillis());
            awaitOwners(names(cluster.running()));
            figures.put("devicesPerOwnerAtThree", GatewayCluster.countByOwner(cluster.owners(last)));
            runFor(STEP_WINDOW);

            figures.put("stopMs", stopGracefully(traffic, first).toMillis());
            awaitOwners(names(cluster.running()));
            runFor(STEP_WINDOW);
            exchanges = traffic.stop(REQUEST_TIMEOUT);
        }

        figures.put("devicesPerOwnerAfter", GatewayCluster.countByOwner(cluster.owners(last)));
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
     * Brings the cluster to exactly these replicas, ready, in rotation and owning every device between them: starts
     * the missing ones (together, under their slot's first name) and stops the others with SIGTERM. Outside any
     * scenario's traffic: what it measures starts from here.
     */
    private static void readyReplicas(List<Slot> wanted) {
        for (Slot slot : cluster.running()) {
            if (!wanted.contains(slot)) {
                cluster.terminate(slot);
            }
        }
        List<Slot> started = new ArrayList<>();
        for (Slot slot : wanted) {
            if (!slot.isRunning()) {
                cluster.start(slot, NAMES.get(slot.number() - 1));
                started.add(slot);
            }
        }
        started.forEach(cluster::awaitReady);
        wanted.forEach(cluster::putInRotation);
        awaitOwners(names(wanted));
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
            awaitRepublished(traffic, cluster.devices().ids(), traffic.startedNanos(), FIRST_PUBLISH_TIMEOUT,
                    "from the start");
            figures.put(runId + "Ms", Duration.ofNanos(System.nanoTime() - traffic.startedNanos()).toMillis());
            return traffic.stop(REQUEST_TIMEOUT);
        }
    }

    /** Waits at most {@code bound} until each of the devices had a 200 for a request sent after {@code since}. */
    private static void awaitRepublished(Traffic traffic, List<String> devices, long since, Duration bound,
            String when) {
        try {
            await().atMost(bound)
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
                    + bound.toSeconds() + " s " + when + ", e.g. " + missing.stream().limit(5).toList()
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
                    + seen.subList(Math.max(0, seen.size() - 3), seen.size()) + "; threads: "
                    + cluster.dumpThreads("owners"), ex);
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
