package io.iotgateway.cluster;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;


import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import io.iotgateway.GatewayApplication;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.testsupport.FreePorts;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.PostgresDatabase;
import io.iotgateway.testsupport.TestDevices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Assumptions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Gateway replicas as application contexts in this JVM, members of one cluster on loopback: each on its own fixed
 * free HTTP and member port (cluster mode refuses port 0), all on one fresh PostgreSQL database of their own (made
 * here, dropped at {@link #close()}), with one master key, the API clients below and a real broker as platform.
 * They sign their logins with {@link TestDevices#TIMESTAMP}, so that a broker's password file can hold the
 * passwords of {@link #password}. {@link #start} returns once the replicas form one cluster at rest, each owning its
 * share of the partitions.
 */
final class InProcessCluster implements AutoCloseable {

    /** Publisher for {@link TestDevices#PRODUCT_KEY}. */
    static final String PUBLISHER_KEY = "cluster-publisher-key-3e8b1d7c5a9f2e4b";

    /** Publisher for another product only. */
    static final String OTHER_PUBLISHER_KEY = "cluster-other-publisher-key-6c2a9e4f1b";

    /** Admin: manages the registry and reads health details, may not publish. */
    static final String ADMIN_KEY = "cluster-admin-key-9d4f2b7e1c6a3f8d5b";

    static final String OTHER_PRODUCT = "b72RnxRE6AG";


    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    // Below Linux's ephemeral range (32768-60999), where outgoing connections take their local ports (as in
    // HazelcastTestMembers): a port picked there and released may be taken by a connection before a replica binds it.

    private final String clusterName;

    private final PostgresDatabase database;

    private final String masterKey;

    private final Map<String, Replica> replicas = new LinkedHashMap<>();

    private InProcessCluster(String clusterName, PostgresDatabase database, String masterKey) {
        this.clusterName = clusterName;
        this.database = database;
        this.masterKey = masterKey;
    }

    /**
     * Starts the replicas one after another and waits until they are one cluster at rest.
     * @param brokerUri the platform endpoint, a mosquitto of the test
     * @param properties further properties of every replica, {@code name=value}
     */
    static InProcessCluster start(List<String> names, String brokerUri, String... properties) {
        Assumptions.assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        InProcessCluster cluster = new InProcessCluster("forwarding-test-" + id,
                PostgresDatabase.create("cluster_forwarding"), Base64.getEncoder().encodeToString(key));
        try {
            List<Integer> ports = FreePorts.distinct(names.size() * 2);
            for (int i = 0; i < names.size(); i++) {
                cluster.replicas.put(names.get(i), new Replica(names.get(i), ports.get(2 * i), ports.get(2 * i + 1)));
            }
            String members = cluster.replicas.values()
                .stream()
                .map(replica -> "127.0.0.1:" + replica.clusterPort())
                .collect(Collectors.joining(","));
            for (Replica replica : cluster.replicas.values()) {
                replica.context = cluster.run(replica, members, brokerUri, properties);
            }
            cluster.awaitAtRest();
            return cluster;
        }
        catch (RuntimeException | Error ex) {
            cluster.close();
            throw ex;
        }
    }

    private ConfigurableApplicationContext run(Replica replica, String members, String brokerUri,
            String... properties) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + replica.httpPort(),
                "--gateway.cluster.enabled=true", "--gateway.cluster.port=" + replica.clusterPort(),
                "--gateway.cluster.members=" + members, "--gateway.cluster.address=127.0.0.1",
                "--gateway.cluster.replica-name=" + replica.name(), "--gateway.cluster.name=" + this.clusterName,
                "--spring.datasource.url=" + this.database.jdbcUrl(),
                "--spring.datasource.username=" + PostgresDatabase.USERNAME,
                "--spring.datasource.hikari.maximum-pool-size=4", "--gateway.registry.master-key=" + this.masterKey,
                "--gateway.platform.endpoint=" + brokerUri,
                // a grid member tells of every join, migration and connection at INFO
                "--logging.level.com.hazelcast=WARN"));
        arguments.addAll(client(0, "erp", PUBLISHER_KEY, "publisher", TestDevices.PRODUCT_KEY));
        arguments.addAll(client(1, "other-erp", OTHER_PUBLISHER_KEY, "publisher", OTHER_PRODUCT));
        arguments.addAll(client(2, "ops", ADMIN_KEY, "admin", null));
        for (String property : properties) {
            arguments.add("--" + property);
        }
        return new SpringApplicationBuilder(GatewayApplication.class, TestDevices.FixedTimestampSigning.class)
            .run(arguments.toArray(String[]::new));
    }

    private static List<String> client(int index, String name, String key, String roles, String products) {
        String prefix = "--gateway.security.clients[" + index + "].";
        List<String> client = new ArrayList<>(List.of(prefix + "name=" + name, prefix + "key-sha256="
                + TestDevices.apiKeySha256(key),
                prefix + "roles=" + roles));
        if (products != null) {
            client.add(prefix + "products=" + products);
        }
        return client;
    }

    /** The running replica of that name. */
    ConfigurableApplicationContext context(String replica) {
        ConfigurableApplicationContext context = replica(replica).context;
        if (context == null || !context.isActive()) {
            throw new IllegalStateException("Replica " + replica + " is not running");
        }
        return context;
    }

    int httpPort(String replica) {
        return replica(replica).httpPort();
    }

    /** Plain HTTP to the replica, no API key. */
    GatewayHttpClient http(String replica) {
        return new GatewayHttpClient(httpPort(replica));
    }

    /** The replica's grid member. */
    HazelcastInstance member(String replica) {
        return context(replica).getBean(HazelcastInstance.class);
    }

    /** The name of the replica that owns the device, as the grid's partition table says. */
    String ownerOf(DeviceId device) {
        String anyRunning = running().getFirst();
        Member owner = member(anyRunning).getPartitionService().getPartition(device.toString()).getOwner();
        return (owner != null) ? ClusterOwnership.replicaOf(owner) : "(none)";
    }

    /** Requests the replica forwarded to a device's owner, whatever the outcome. */
    double forwarded(String replica) {
        MeterRegistry meters = context(replica).getBean(MeterRegistry.class);
        return meters.find("gateway.cluster.forwarded").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The HTTP requests the replica answered (Spring's {@code http.server.requests}, the refused ones included). */
    long requestsAnswered(String replica) {
        MeterRegistry meters = context(replica).getBean(MeterRegistry.class);
        return meters.find("http.server.requests").timers().stream().mapToLong(Timer::count).sum();
    }

    /**
     * Stops the replica gracefully, as at a SIGTERM (its devices handed over, its grid member shut down), and waits
     * until the others are a cluster at rest again that owns every partition.
     */
    void stop(String replica) {
        replica(replica).context.close();
        awaitAtRest();
    }

    /**
     * Waits until the running replicas are one cluster at rest: each sees exactly them as data members, none a lite
     * member still, every partition owned by one of them in the same table on each, no migration under way, and each
     * owns some partitions and answers its readiness probe.
     */
    void awaitAtRest() {
        List<String> running = running();
        await("replicas " + running + " at rest").atMost(START_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> isAtRest(running));
    }

    private boolean isAtRest(List<String> running) {
        Set<UUID> ids = running.stream()
            .map(name -> member(name).getCluster().getLocalMember().getUuid())
            .collect(Collectors.toSet());
        Map<Integer, UUID> agreed = null;
        for (String name : running) {
            HazelcastInstance member = member(name);
            if (member.getCluster().getMembers().size() != running.size()
                    || member.getCluster().getMembers().stream().anyMatch(Member::isLiteMember)
                    || !member.getPartitionService().isClusterSafe()) {
                return false;
            }
            Map<Integer, UUID> table = HazelcastTestMembers.partitionTable(member);
            if (table.size() != member.getPartitionService().getPartitions().size() || !ids.containsAll(table.values())
                    || (agreed != null && !agreed.equals(table))) {
                return false;
            }
            agreed = table;
            UUID local = member.getCluster().getLocalMember().getUuid();
            if (!table.containsValue(local) || http(name).get("/actuator/health/readiness").statusCode() != 200) {
                return false;
            }
        }
        return true;
    }

    private List<String> running() {
        return this.replicas.values()
            .stream()
            .filter(replica -> replica.context != null && replica.context.isActive())
            .map(Replica::name)
            .toList();
    }

    /** The partitions the replica owns, as its own member sees them. */
    long ownedPartitions(String replica) {
        HazelcastInstance member = member(replica);
        Member local = member.getCluster().getLocalMember();
        return member.getPartitionService()
            .getPartitions()
            .stream()
            .map(Partition::getOwner)
            .filter(local::equals)
            .count();
    }

    private Replica replica(String name) {
        Replica replica = this.replicas.get(name);
        if (replica == null) {
            throw new IllegalArgumentException("No replica " + name + " in " + this.replicas.keySet());
        }
        return replica;
    }

    /** Closes the replicas still running and drops the database. */
    @Override
    public void close() {
        List<Replica> reversed = new ArrayList<>(this.replicas.values());
        java.util.Collections.reverse(reversed);
        for (Replica replica : reversed) {
            if (replica.context != null && replica.context.isActive()) {
                replica.context.close();
            }
        }
        this.database.close();
    }

    /** A fresh device secret as the platform issues them: 32 hex digits. */
    static String newSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static final class Replica {

        private final String name;

        private final int httpPort;

        private final int clusterPort;

        private ConfigurableApplicationContext context;

        Replica(String name, int httpPort, int clusterPort) {
            this.name = name;
            this.httpPort = httpPort;
            this.clusterPort = clusterPort;
        }

        String name() {
            return this.name;
        }

        int httpPort() {
            return this.httpPort;
        }

        int clusterPort() {
            return this.clusterPort;
        }
    }
}
