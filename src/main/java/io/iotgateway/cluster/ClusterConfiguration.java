package io.iotgateway.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.iotgateway.StartupRefusedException;
import io.iotgateway.mqtt.DeviceConnectionPool;
import io.iotgateway.mqtt.DeviceOwnership;
import io.iotgateway.web.ProblemResponseWriter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * A single gateway by default: it owns every device and starts no grid member. With {@code gateway.cluster.enabled}
 * an embedded Hazelcast member joins the other replicas (a static member list, or a Kubernetes headless Service),
 * and Spring Boot starts it from the {@link Config} here and shuts it down, gracefully, after the connection pool
 * has handed its devices over. Only the Community Edition's partitions, maps and topics are used.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "gateway.cluster.enabled", havingValue = false, matchIfMissing = true)
    DeviceOwnership singleReplica(ClusterProperties cluster) {
        return DeviceOwnership.single(replicaName(cluster));
    }

    @Bean("clusterHealthIndicator")
    @ConditionalOnBooleanProperty(name = "gateway.cluster.enabled", havingValue = false, matchIfMissing = true)
    HealthIndicator singleReplicaHealth(ClusterProperties cluster) {
        return ClusterHealthIndicator.single(replicaName(cluster));
    }

    static String replicaName(ClusterProperties cluster) {
        if (StringUtils.hasText(cluster.replicaName())) {
            return cluster.replicaName();
        }
        String hostname = System.getenv("HOSTNAME");
        if (StringUtils.hasText(hostname)) {
            return hostname;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "gateway";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("gateway.cluster.enabled")
    static class Clustered {

        @Bean
        Config hazelcastConfig(ClusterProperties cluster, @Value("${server.port:8080}") int httpPort) {
            if (httpPort <= 0) {
                throw new StartupRefusedException("Cluster mode (gateway.cluster.enabled) needs a fixed HTTP port: "
                        + "the replicas forward requests to each other's server.port, which is " + httpPort + ".",
                        "Set server.port to the port the gateway listens on, the same on every replica (8080 "
                                + "by default).");
            }
            String replica = replicaName(cluster);
            Config config = new Config();
            config.setClusterName(cluster.name());
            config.setInstanceName("iot-gateway-" + replica);
            config.setClassLoader(ClusterConfiguration.class.getClassLoader());
            // no calls home (the gateway reaches only its platform), Spring closes the member after the pool
            config.setProperty("hazelcast.phone.home.enabled", "false");
            config.setProperty("hazelcast.shutdownhook.enabled", "false");
            config.setProperty("hazelcast.logging.type", "slf4j");
            // notice a failed member within the failure timeout, not Hazelcast's default of a minute
            config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
            config.setProperty("hazelcast.max.no.heartbeat.seconds",
                    Long.toString(cluster.failureTimeout().toSeconds()));
            // a member cut off by a network partition merges back within seconds, not Hazelcast's 5 minutes
            config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
            config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
            config.setProperty("hazelcast.wait.seconds.before.join", "1");
            // the grid's periodic INFO line on memory and load: the gateway's metrics and health say what matters
            config.setProperty("hazelcast.health.monitoring.level", "OFF");
            config.getJetConfig().setEnabled(false);
            // a lite member owns no partitions: it joins at start and takes its share once it can serve (see
            // ClusterOwnership), so that no request is forwarded to a replica whose web server is not up yet
            config.setLiteMember(true);
            config.setProperty("hazelcast.graceful.shutdown.max.wait", "30");
            config.getMemberAttributeConfig()
                .setAttribute(ClusterOwnership.REPLICA_ATTRIBUTE, replica)
                .setAttribute(ClusterOwnership.HTTP_PORT_ATTRIBUTE, Integer.toString(httpPort));
            NetworkConfig network = config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false);
            if (StringUtils.hasText(cluster.address())) {
                // advertised to the others, and the interface the member listens on
                network.setPublicAddress(cluster.address());
                config.setProperty("hazelcast.local.localAddress", cluster.address());
            }
            JoinConfig join = network.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            String serviceDns = cluster.kubernetes().serviceDns();
            if (cluster.members().isEmpty() && StringUtils.hasText(serviceDns)) {
                join.getKubernetesConfig()
                    .setEnabled(true)
                    .setProperty("service-dns", serviceDns)
                    .setProperty("service-port", Integer.toString(cluster.port()));
            }
            else {
                join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
            }
            // one synchronous backup each: a member's crash loses no holder and no idempotency answer
            config.addMapConfig(new MapConfig(ClusterOwnership.HOLDERS).setBackupCount(1));
            config.addMapConfig(new MapConfig(GridIdempotencyBackup.ANSWERS).setBackupCount(1));
            config.addMapConfig(new MapConfig(ClusterOwnership.LEAVING).setBackupCount(1));
            return config;
        }

        @Bean
        ClusterOwnership clusterOwnership(HazelcastInstance hazelcast, ClusterProperties cluster, Clock clock,
                MeterRegistry meterRegistry) {
            return new ClusterOwnership(hazelcast, replicaName(cluster), cluster.handOverWait(),
                    cluster.failureTimeout(), clock,
                    meterRegistry);
        }

        @Bean
        GridIdempotencyBackup gridIdempotencyBackup(HazelcastInstance hazelcast) {
            return new GridIdempotencyBackup(hazelcast);
        }

        @Bean
        CredentialChangeRelay credentialChangeRelay(HazelcastInstance hazelcast, ApplicationEventPublisher events) {
            return new CredentialChangeRelay(hazelcast, events);
        }

        @Bean
        ClusterReconciler clusterReconciler(HazelcastInstance hazelcast, ClusterOwnership ownership,
                DeviceConnectionPool pool, TaskScheduler taskScheduler, MeterRegistry meterRegistry) {
            return new ClusterReconciler(hazelcast, ownership, pool, taskScheduler, meterRegistry);
        }

        @Bean
        FilterRegistrationBean<OwnerForwarding> ownerForwarding(ClusterOwnership ownership,
                ProblemResponseWriter problems, ClusterProperties cluster,
                @Value("${gateway.message.max-payload:256KB}") DataSize maxPayload, MeterRegistry meterRegistry) {
            // after the security chain (order -100): only callers allowed here are forwarded
            FilterRegistrationBean<OwnerForwarding> registration = new FilterRegistrationBean<>(new OwnerForwarding(
                    ownership, problems, cluster.forwardTimeout(), maxPayload.toBytes(), meterRegistry));
            registration.setOrder(0);
            return registration;
        }

        @Bean("clusterHealthIndicator")
        ClusterHealthIndicator clusterHealth(ClusterOwnership ownership) {
            return new ClusterHealthIndicator(ownership);
        }
    }
}
