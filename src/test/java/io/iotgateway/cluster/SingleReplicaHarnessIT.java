package io.iotgateway.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.iotgateway.cluster.GatewayCluster.Slot;
import io.iotgateway.cluster.Traffic.Exchange;
import io.iotgateway.testsupport.BrokerLog;
import io.iotgateway.testsupport.EnabledIfMosquittoInstalled;
import io.iotgateway.testsupport.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster tests' harness on one replica without clustering, as the gateway runs today: the packaged jar on a
 * fixed port with its secrets in its environment, the shared PostgreSQL registry filled through the admin import,
 * traffic over all devices, the broker's log and subscriber, SIGSTOP/SIGCONT and SIGKILL with a restart in the same
 * slot. What the cluster scenarios build on, checked on its own.
 */
@EnabledIfMosquittoInstalled
class SingleReplicaHarnessIT {

    private static final int DEVICES = 300;

    private static final int RATE = 150;

    private static GatewayCluster cluster;

    @BeforeAll
    static void prepare() throws Exception {
        Assumptions.assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        assertThat(GatewayCluster.jar()).as("the packaged gateway (mvn package)").isRegularFile();
        cluster = GatewayCluster.prepare(GatewayCluster.jar(), GatewayCluster.outputFor(SingleReplicaHarnessIT.class),
                1, false, ClusterDevices.of(DEVICES), List.of());
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oneReplicaPublishesForEveryDeviceSurvivesAFreezeAndIsRestartedAfterAKill() {
        Map<String, Object> figures = new LinkedHashMap<>();
        Slot slot = cluster.slot(1);
        cluster.start(slot, "r1");
        figures.put("startMs", cluster.awaitReady(slot).toMillis());

        HttpResponse<String> imported = cluster.importDevices(slot);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).contains("\"created\":" + DEVICES, "\"rejected\":0");

        // every device publishes through the one replica; its first logins may be told to wait (connect rate)
        List<Exchange> first = runUntilEveryDeviceAcknowledged("first");
        TrafficChecks.assertAnswers(first, TrafficChecks::acknowledgedOrRetryLater, "200 or 503 with Retry-After");
        TrafficChecks.assertAcknowledgedReceived(first, cluster.subscriber()::messages, Duration.ofSeconds(30));
        BrokerLog log = cluster.brokerLog();
        assertThat(log.loginsByDevice()).hasSize(DEVICES).allSatisfy((device, logins) -> assertThat(logins).isOne());
        assertThat(log.doubleLogins()).isEmpty();
        assertThat(log.kicks()).isEmpty();
        figures.put("answers", TrafficChecks.outcomes(first));

        // frozen, it answers nothing; thawed, it answers again
        slot.process().freeze();
        assertThat(slot.process().get("/actuator/health/readiness")).isEqualTo(-1);
        slot.process().thaw();
        await().atMost(Duration.ofSeconds(10)).until(() -> slot.process().get("/actuator/health/readiness") == 200);

        // killed, its sockets close with it: the restarted replica logs every device in again, never twice at once
        int beforeKill = cluster.brokerLog().lineCount();
        cluster.kill(slot);
        assertThat(slot.isRunning()).isFalse();
        cluster.start(slot, "r1");
        figures.put("restartMs", cluster.awaitReady(slot).toMillis());
        List<Exchange> again = runUntilEveryDeviceAcknowledged("again");
        TrafficChecks.assertAcknowledgedReceived(again, cluster.subscriber()::messages, Duration.ofSeconds(30));
        BrokerLog after = cluster.brokerLog();
        // at least once: a cold JVM on busy cores may miss its CONNACK timeout and log a device in again
        List<BrokerLog.Login> relogins = after.loginsSince(beforeKill);
        assertThat(relogins).extracting(BrokerLog.Login::device).containsAll(cluster.devices().ids());
        figures.put("loginsAfterRestart", relogins.size());
        assertThat(after.doubleLogins()).isEmpty();
        assertThat(after.kicks()).isEmpty();
        figures.put("answersAfterRestart", TrafficChecks.outcomes(again));
        figures.put("platformKicks", cluster.platformKicks().kicks());
        TrafficChecks.printFigures(cluster.output(), "single-replica-harness", figures);
    }

    private static List<Exchange> runUntilEveryDeviceAcknowledged(String runId) {
        try (Traffic traffic = Traffic.start(SingleReplicaHarnessIT::targets, cluster.devices().ids(), RATE,
                Duration.ofSeconds(30), runId)) {
            await("every device acknowledged once").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> TrafficChecks
                    .firstAcknowledgedAfter(traffic.exchanges(), cluster.devices().ids(), traffic.startedNanos())
                    .size() == DEVICES);
            return traffic.stop(Duration.ofSeconds(40));
        }
    }

    private static List<Traffic.Target> targets() {
        return cluster.inRotation()
            .stream()
            .map((slot) -> new Traffic.Target(slot.name(), cluster.publisher(slot)))
            .toList();
    }

}
