package io.iotgateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.marcnuri.helm.LintResult;
import io.iotgateway.deploy.HelmChart.Manifests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.iotgateway.deploy.HelmChart.at;
import static io.iotgateway.deploy.HelmChart.list;
import static io.iotgateway.deploy.HelmChart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Helm chart, linted and rendered by real Helm for default and non-default values. Skipped, with the reason,
 * where helm-java's native library cannot load.
 */
class HelmChartTests {

    private static final String CONTAINER = "spec.template.spec.containers.0";

    private static final String CLUSTER_SERVICE = HelmChart.FULLNAME + "-cluster";

    private static final String DATABASE_URL = "jdbc:postgresql://db.internal:5432/gateway";

    private static final List<Map<String, String>> DEVICES = List.of(
            Map.of("productKey", "a61QmwQD5ZF", "deviceName", "mosheep", "deviceSecret", "device-secret-one"),
            Map.of("productKey", "a61QmwQD5ZF", "deviceName", "mogoat", "deviceSecret", "device-secret-two"));

    @BeforeAll
    static void helmRunsHere() {
        String reason = HelmChart.unavailableReason();
        assumeTrue(reason == null, () -> "Skipped: " + reason);
    }

    @Test
    void chartPassesStrictLint() {
        LintResult result = HelmChart.lint();

        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(message -> message.contains("[ERROR]")
                || message.contains("[WARNING]"));
    }

    @Test
    void defaultValuesRenderOneHardenedGatewayWithProbesOnTheAvailabilityGroups() {
        Manifests manifests = HelmChart.render(Map.of());
        Map<String, Object> deployment = manifests.one("Deployment");

        assertThat(manifests.kinds()).containsExactlyInAnyOrder("ServiceAccount", "Secret", "ConfigMap", "Service",
                "Deployment", "PodDisruptionBudget");
        assertThat(at(deployment, "spec.replicas")).isEqualTo(1);
        assertThat(at(deployment, "spec.strategy.type")).isEqualTo("Recreate");
        assertThat(at(deployment, CONTAINER + ".image")).isEqualTo("iot-gateway:0.1.0");
        assertThat(at(deployment, CONTAINER + ".startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(deployment, CONTAINER + ".livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(deployment, CONTAINER + ".readinessProbe.httpGet.path"))
            .isEqualTo("/actuator/health/readiness");
        assertThat(at(deployment, CONTAINER + ".readinessProbe.httpGet.port")).isEqualTo("http");
        assertThat(at(deployment, CONTAINER + ".ports.0.containerPort")).isEqualTo(8080);
        assertThat(at(deployment, "spec.template.spec.automountServiceAccountToken")).isEqualTo(false);
        assertThat(at(deployment, CONTAINER + ".resources.limits.memory")).isEqualTo("512Mi");
        assertThat(at(manifests.one("PodDisruptionBudget"), "spec.maxUnavailable")).isEqualTo(1);
        assertThat(at(manifests.one("Service"), "spec.ports.0.targetPort")).isEqualTo("http");
        assertThat(map(manifests.one("Service"), "spec.selector"))
            .isEqualTo(map(deployment, "spec.selector.matchLabels"));
        assertThat(map(deployment, "spec.template.metadata.labels"))
            .containsAllEntriesOf(map(deployment, "spec.selector.matchLabels"));
    }

    @Test
    void defaultValuesRunAsNonRootOnAReadOnlyRootFilesystem() {
        Map<String, Object> deployment = HelmChart.render(Map.of()).one("Deployment");
        Map<String, Object> pod = map(deployment, "spec.template.spec.securityContext");
        Map<String, Object> container = map(deployment, CONTAINER + ".securityContext");

        assertThat(pod).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001)
            .containsEntry("fsGroup", 10001);
        assertThat(at(pod, "seccompProfile.type")).isEqualTo("RuntimeDefault");
        assertThat(container).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001)
            .containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false)
            .containsEntry("privileged", false);
        assertThat(at(container, "capabilities.drop")).isEqualTo(List.of("ALL"));
        assertThat(at(container, "seccompProfile.type")).isEqualTo("RuntimeDefault");
        // the only writable places: /tmp and the data directory
        assertThat(list(deployment, CONTAINER + ".volumeMounts")).extracting(mount -> at(mount, "mountPath"))
            .containsExactly("/tmp", "/data");
        assertThat(at(deployment, "spec.template.spec.volumes.0.emptyDir.sizeLimit")).isEqualTo("256Mi");
        assertThat(at(deployment, "spec.template.spec.volumes.1.emptyDir")).isEqualTo(Map.of());
    }

    @Test
    void terminationGraceCoversThePreStopPauseAndTheGatewaysShutdownTimeout() {
        Manifests defaults = HelmChart.render(Map.of());
        Manifests longer = HelmChart.render(Map.of("shutdown", Map.of("timeoutSeconds", 60, "preStopSleepSeconds", 0)));

        assertThat(configMap(defaults)).containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "30s");
        assertThat(at(defaults.one("Deployment"), "spec.template.spec.terminationGracePeriodSeconds")).isEqualTo(45);
        assertThat(at(defaults.one("Deployment"), CONTAINER + ".lifecycle.preStop.exec.command"))
            .isEqualTo(List.of("sleep", "5"));
        assertThat(configMap(longer)).containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "60s");
        assertThat(at(longer.one("Deployment"), "spec.template.spec.terminationGracePeriodSeconds")).isEqualTo(70);
        assertThat(at(longer.one("Deployment"), CONTAINER + ".lifecycle")).isNull();
    }

    @Test
    void defaultValuesRenderNoSecretValueAndStartTheEmulator() {
        Manifests manifests = HelmChart.render(Map.of());

        assertThat(map(manifests.one("Secret"), "data")).isEmpty();
        assertThat(configMap(manifests)).doesNotContainKey("GATEWAY_PLATFORM_ENDPOINT")
            .containsEntry("GATEWAY_DATA_DIR", "/data")
            .containsEntry("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
        assertThat(list(manifests.one("Deployment"), CONTAINER + ".envFrom"))
            .extracting(source -> at(source, "configMapRef.name"), source -> at(source, "secretRef.name"))
            .containsExactly(org.assertj.core.groups.Tuple.tuple(HelmChart.FULLNAME, null),
                    org.assertj.core.groups.Tuple.tuple(null, HelmChart.FULLNAME));
    }

    @Test
    void secretsGoToTheSecretOnlyAndGatewaySettingsToTheConfigMap() {
        Map<String, Object> values = Map.of("gateway", Map.of(
                "platform", Map.of("endpoint", "ssl://{productKey}.iot-as-mqtt.{region}.aliyuncs.com:1883",
                        "region", "cn-beijing", "signMethod", "hmacsha256"),
                "message", Map.of("maxPayload", "128KB"),
                "mqtt", Map.of("keepAlive", "600s", "maxInflight", 50, "idleTimeout", "0"),
                "extraConfig", Map.of("LOGGING_LEVEL_IO_IOTGATEWAY", "DEBUG")),
                "devices", DEVICES,
                "registry", Map.of("masterKey", "master-key-value"),
                "security", Map.of("clients", List.of(Map.of("name", "erp", "keySha256", "ab".repeat(32),
                        "roles", List.of("publisher"), "products", List.of("a61QmwQD5ZF", "b71QmwQD5ZF")))),
                "extraSecretEnv", Map.of("SPRING_DATASOURCE_PASSWORD", "database-password"));
        Manifests manifests = HelmChart.render(values);

        assertThat(manifests.secretData()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("GATEWAY_DEVICES_0_PRODUCT_KEY", "a61QmwQD5ZF"),
                Map.entry("GATEWAY_DEVICES_0_DEVICE_NAME", "mosheep"),
                Map.entry("GATEWAY_DEVICES_0_DEVICE_SECRET", "device-secret-one"),
                Map.entry("GATEWAY_DEVICES_1_PRODUCT_KEY", "a61QmwQD5ZF"),
                Map.entry("GATEWAY_DEVICES_1_DEVICE_NAME", "mogoat"),
                Map.entry("GATEWAY_DEVICES_1_DEVICE_SECRET", "device-secret-two"),
                Map.entry("GATEWAY_REGISTRY_MASTER_KEY", "master-key-value"),
                Map.entry("GATEWAY_SECURITY_CLIENTS_0_NAME", "erp"),
                Map.entry("GATEWAY_SECURITY_CLIENTS_0_KEY_SHA256", "ab".repeat(32)),
                Map.entry("GATEWAY_SECURITY_CLIENTS_0_ROLES", "publisher"),
                Map.entry("GATEWAY_SECURITY_CLIENTS_0_PRODUCTS", "a61QmwQD5ZF,b71QmwQD5ZF"),
                Map.entry("SPRING_DATASOURCE_PASSWORD", "database-password")));
        assertThat(configMap(manifests))
            .containsEntry("GATEWAY_PLATFORM_ENDPOINT", "ssl://{productKey}.iot-as-mqtt.{region}.aliyuncs.com:1883")
            .containsEntry("GATEWAY_PLATFORM_REGION", "cn-beijing")
            .containsEntry("GATEWAY_PLATFORM_SIGN_METHOD", "hmacsha256")
            .containsEntry("GATEWAY_MESSAGE_MAX_PAYLOAD", "128KB")
            .containsEntry("GATEWAY_MQTT_KEEP_ALIVE", "600s")
            .containsEntry("GATEWAY_MQTT_MAX_INFLIGHT", "50")
            .containsEntry("GATEWAY_MQTT_IDLE_TIMEOUT", "0")
            .containsEntry("LOGGING_LEVEL_IO_IOTGATEWAY", "DEBUG")
            .doesNotContainKey("GATEWAY_MQTT_COMPLETION_TIMEOUT");
        assertThat(manifests.allButSecrets()).doesNotContain("device-secret-one", "device-secret-two",
                "master-key-value", "database-password", "ab".repeat(32));
        // a changed Secret rolls the pod: environment variables are read only at start
        assertThat(map(manifests.one("Deployment"), "spec.template.metadata.annotations"))
            .containsKeys("checksum/config", "checksum/secret")
            .isNotEqualTo(map(HelmChart.render(Map.of()).one("Deployment"), "spec.template.metadata.annotations"));
    }

    @Test
    void existingSecretReplacesTheChartsSecret() {
        Manifests manifests = HelmChart.render(Map.of("existingSecret", "gateway-devices"));

        assertThat(manifests.kinds()).doesNotContain("Secret");
        assertThat(at(manifests.one("Deployment"), CONTAINER + ".envFrom.1.secretRef.name"))
            .isEqualTo("gateway-devices");
        assertThat(map(manifests.one("Deployment"), "spec.template.metadata.annotations"))
            .doesNotContainKey("checksum/secret");
    }

    @Test
    void existingSecretTogetherWithDevicesInTheValuesFailsToRender() {
        assertThatIllegalStateException()
            .isThrownBy(() -> HelmChart.render(Map.of("existingSecret", "gateway-devices", "devices", DEVICES)))
            .withMessageContaining("existingSecret \"gateway-devices\" is set");
    }

    @Test
    void ingressAndServiceMonitorRenderWhenEnabled() {
        Manifests manifests = HelmChart.render(Map.of(
                "ingress", Map.of("enabled", true, "className", "nginx",
                        "hosts", List.of(Map.of("host", "gw.example.com",
                                "paths", List.of(Map.of("path", "/api", "pathType", "Prefix")))),
                        "tls", List.of(Map.of("secretName", "gw-tls", "hosts", List.of("gw.example.com")))),
                "serviceMonitor", Map.of("enabled", true, "interval", "15s", "labels", Map.of("release", "prom"))));
        Map<String, Object> ingress = manifests.one("Ingress");
        Map<String, Object> monitor = manifests.one("ServiceMonitor");

        assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
        assertThat(at(ingress, "spec.rules.0.host")).isEqualTo("gw.example.com");
        assertThat(at(ingress, "spec.rules.0.http.paths.0.path")).isEqualTo("/api");
        assertThat(at(ingress, "spec.rules.0.http.paths.0.backend.service.name")).isEqualTo(HelmChart.FULLNAME);
        assertThat(at(ingress, "spec.rules.0.http.paths.0.backend.service.port.name")).isEqualTo("http");
        assertThat(at(ingress, "spec.tls.0.secretName")).isEqualTo("gw-tls");
        assertThat(at(monitor, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(map(monitor, "metadata.labels")).containsEntry("release", "prom");
        assertThat(at(monitor, "spec.endpoints.0.port")).isEqualTo("http");
        assertThat(at(monitor, "spec.endpoints.0.path")).isEqualTo("/actuator/prometheus");
        assertThat(at(monitor, "spec.endpoints.0.interval")).isEqualTo("15s");
        assertThat(map(monitor, "spec.selector.matchLabels"))
            .isEqualTo(map(manifests.one("Service"), "spec.selector"));
    }

    @Test
    void persistenceRendersAClaimForTheDataDirectory() {
        Manifests manifests = HelmChart.render(Map.of("persistence", Map.of("enabled", true, "size", "5Gi")));

        assertThat(at(manifests.one("PersistentVolumeClaim"), "spec.resources.requests.storage")).isEqualTo("5Gi");
        assertThat(at(manifests.one("Deployment"), "spec.template.spec.volumes.1.persistentVolumeClaim.claimName"))
            .isEqualTo(HelmChart.FULLNAME + "-data");
    }

    @Test
    void singleGatewayRendersNoClusterPartAndNoDatabase() {
        Manifests manifests = HelmChart.render(Map.of());
        Map<String, Object> deployment = manifests.one("Deployment");

        assertThat(configMap(manifests).keySet()).noneMatch(name -> name.startsWith("GATEWAY_CLUSTER_")
                || name.startsWith("SPRING_DATASOURCE_"));
        assertThat(at(deployment, CONTAINER + ".env")).isNull();
        assertThat(list(deployment, CONTAINER + ".ports")).extracting(port -> at(port, "name")).containsExactly("http");
        assertThat(map(deployment, "spec.strategy")).isEqualTo(Map.of("type", "Recreate"));
    }

    @Test
    void moreThanOneReplicaWithoutTheClusterFailsToRender() {
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.render(Map.of("replicaCount", 2)))
            .withMessageContaining("replicaCount is 2")
            .withMessageContaining("one MQTT connection per device")
            .withMessageContaining("Set cluster.enabled=true");
    }

    @Test
    void allowMultipleReplicasIsRefusedForTheCluster() {
        assertThatIllegalStateException()
            .isThrownBy(() -> HelmChart.render(Map.of("replicaCount", 2, "allowMultipleReplicas", true)))
            .withMessageContaining("allowMultipleReplicas is gone")
            .withMessageContaining("cluster.enabled=true");
        // a values file that spelled out the old default still renders
        assertThat(at(HelmChart.render(Map.of("allowMultipleReplicas", false)).one("Deployment"), "spec.replicas"))
            .isEqualTo(1);
    }

    @Test
    void clusterOfThreeFindsItsMembersThroughAHeadlessService() {
        Manifests manifests = HelmChart.render(clusterValues());
        Map<String, Object> deployment = manifests.one("Deployment");
        Map<String, Object> members = manifests.named("Service", CLUSTER_SERVICE);
        Map<String, Object> api = manifests.named("Service", HelmChart.FULLNAME);

        assertThat(manifests.kinds()).containsExactlyInAnyOrder("ServiceAccount", "Secret", "ConfigMap", "Service",
                "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy");
        assertThat(at(deployment, "spec.replicas")).isEqualTo(3);
        assertThat(at(members, "spec.clusterIP")).isEqualTo("None");
        // a replica becomes ready only once it is a member: it must find the others before
        assertThat(at(members, "spec.publishNotReadyAddresses")).isEqualTo(true);
        assertThat(map(members, "spec.selector")).isEqualTo(map(deployment, "spec.selector.matchLabels"));
        assertThat(list(members, "spec.ports"))
            .extracting(port -> at(port, "name"), port -> at(port, "port"), port -> at(port, "targetPort"))
            .containsExactly(tuple("cluster", 5701, "cluster"));
        assertThat(list(deployment, CONTAINER + ".ports"))
            .extracting(port -> at(port, "name"), port -> at(port, "containerPort"))
            .containsExactly(tuple("http", 8080), tuple("cluster", 5701));
        assertThat(configMap(manifests)).containsEntry("GATEWAY_CLUSTER_ENABLED", "true")
            .containsEntry("GATEWAY_CLUSTER_PORT", "5701")
            .containsEntry("GATEWAY_CLUSTER_KUBERNETES_SERVICE_DNS", CLUSTER_SERVICE + ".iot.svc.cluster.local");
        // requests go to ready replicas only; the API Service has no member port
        assertThat(at(api, "spec.publishNotReadyAddresses")).isNull();
        assertThat(list(api, "spec.ports")).extracting(port -> at(port, "name")).containsExactly("http");
        // Kubernetes discovery by DNS needs no Kubernetes API access
        assertThat(at(deployment, "spec.template.spec.automountServiceAccountToken")).isEqualTo(false);
    }

    @Test
    void clusterReplicasTakeTheirNameAndAddressFromTheDownwardApiAndShareThePostgresqlRegistry() {
        Manifests manifests = HelmChart.render(clusterValues());
        Map<String, Object> deployment = manifests.one("Deployment");

        assertThat(list(deployment, CONTAINER + ".env")).extracting(variable -> at(variable, "name"))
            .containsExactly("GATEWAY_CLUSTER_REPLICA_NAME", "GATEWAY_CLUSTER_ADDRESS", "SPRING_DATASOURCE_PASSWORD");
        assertThat(at(env(deployment, "GATEWAY_CLUSTER_REPLICA_NAME"), "valueFrom.fieldRef.fieldPath"))
            .isEqualTo("metadata.name");
        assertThat(at(env(deployment, "GATEWAY_CLUSTER_ADDRESS"), "valueFrom.fieldRef.fieldPath"))
            .isEqualTo("status.podIP");
        assertThat(map(env(deployment, "SPRING_DATASOURCE_PASSWORD"), "valueFrom.secretKeyRef"))
            .isEqualTo(Map.of("name", "gateway-database", "key", "password"));
        assertThat(configMap(manifests)).containsEntry("SPRING_DATASOURCE_URL", DATABASE_URL)
            .containsEntry("SPRING_DATASOURCE_USERNAME", "gateway");
        assertThat(manifests.secretData()).containsOnlyKeys("GATEWAY_REGISTRY_MASTER_KEY");
        assertThat(manifests.allButSecrets()).doesNotContain("master-key-value");
        // nothing in the data directory must survive: each replica's is its own emptyDir
        assertThat(at(deployment, "spec.template.spec.volumes.1.name")).isEqualTo("data");
        assertThat(at(deployment, "spec.template.spec.volumes.1.emptyDir")).isEqualTo(Map.of());
        assertThat(manifests.kinds()).doesNotContain("PersistentVolumeClaim");
    }

    @Test
    void clusterRollsOneReplicaAtATimeAndGivesTheHandOverItsTimeBeforeTheShutdown() {
        Manifests manifests = HelmChart.render(clusterValues());
        Map<String, Object> deployment = manifests.one("Deployment");
        Map<String, Object> budget = manifests.one("PodDisruptionBudget");
        Map<String, Object> longerHandOver = withCluster(Map.of("enabled", true, "handOverSeconds", 60));

        assertThat(map(deployment, "spec.strategy")).isEqualTo(Map.of("type", "RollingUpdate",
                "rollingUpdate", Map.of("maxUnavailable", 1, "maxSurge", 0)));
        assertThat(at(budget, "spec.maxUnavailable")).isEqualTo(1);
        assertThat(at(budget, "spec.minAvailable")).isNull();
        assertThat(map(budget, "spec.selector.matchLabels")).isEqualTo(map(deployment, "spec.selector.matchLabels"));
        assertThat(at(deployment, CONTAINER + ".readinessProbe.httpGet.path"))
            .isEqualTo("/actuator/health/readiness");
        assertThat(at(deployment, CONTAINER + ".lifecycle.preStop.exec.command")).isEqualTo(List.of("sleep", "5"));
        // preStop 5 + hand-over 30 + graceful shutdown 30 + margin 10
        assertThat(at(deployment, "spec.template.spec.terminationGracePeriodSeconds")).isEqualTo(75);
        assertThat(at(HelmChart.render(longerHandOver).one("Deployment"),
                "spec.template.spec.terminationGracePeriodSeconds")).isEqualTo(105);
    }

    @Test
    void clusterKeepsAnUpdateStrategyGivenInTheValues() {
        Map<String, Object> values = clusterValues();
        values.put("updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate",
                Map.of("maxUnavailable", 0, "maxSurge", 1)));

        assertThat(map(HelmChart.render(values).one("Deployment"), "spec.strategy.rollingUpdate"))
            .isEqualTo(Map.of("maxUnavailable", 0, "maxSurge", 1));
    }

    @Test
    void clusterPortAndClusterDomainAreValues() {
        Map<String, Object> values = withCluster(Map.of("enabled", true, "port", 5801));
        values.put("clusterDomain", "k8s.example.internal");
        Manifests manifests = HelmChart.render(values);

        assertThat(configMap(manifests)).containsEntry("GATEWAY_CLUSTER_PORT", "5801")
            .containsEntry("GATEWAY_CLUSTER_KUBERNETES_SERVICE_DNS", CLUSTER_SERVICE + ".iot.svc.k8s.example.internal");
        assertThat(at(manifests.one("Deployment"), CONTAINER + ".ports.1.containerPort")).isEqualTo(5801);
        assertThat(at(manifests.named("Service", CLUSTER_SERVICE), "spec.ports.0.port")).isEqualTo(5801);
        assertThatIllegalStateException()
            .isThrownBy(() -> HelmChart.render(withCluster(Map.of("enabled", true, "port", 8080))))
            .withMessageContaining("port");
    }

    @Test
    void networkPolicyLetsOnlyTheReleasesOwnPodsReachTheMemberPort() {
        Manifests manifests = HelmChart.render(clusterValues());
        Map<String, Object> policy = manifests.one("NetworkPolicy");
        Map<String, Object> pods = map(manifests.one("Deployment"), "spec.selector.matchLabels");

        assertThat(map(policy, "spec.podSelector.matchLabels")).isEqualTo(pods);
        assertThat(at(policy, "spec.policyTypes")).isEqualTo(List.of("Ingress"));
        assertThat(list(policy, "spec.ingress")).hasSize(2);
        // the API port from anywhere, as without the policy
        assertThat(at(policy, "spec.ingress.0.from")).isNull();
        assertThat(at(policy, "spec.ingress.0.ports")).isEqualTo(List.of(Map.of("port", "http", "protocol", "TCP")));
        assertThat(at(policy, "spec.ingress.1.from")).isEqualTo(List.of(Map.of("podSelector",
                Map.of("matchLabels", pods))));
        assertThat(at(policy, "spec.ingress.1.ports"))
            .isEqualTo(List.of(Map.of("port", "cluster", "protocol", "TCP")));
        assertThat(HelmChart.render(withCluster(Map.of("enabled", true, "networkPolicy", Map.of("enabled", false))))
            .kinds()).doesNotContain("NetworkPolicy");
    }

    @Test
    void clusterWithoutASharedPostgresqlRegistryFailsToRender() {
        Map<String, Object> withoutDatabase = clusterValues();
        withoutDatabase.remove("database");
        Map<String, Object> otherDatabase = clusterValues();
        otherDatabase.put("database", Map.of("url", "jdbc:h2:tcp://db.internal/gateway;PASSWORD=database-password"));

        assertThatIllegalStateException().isThrownBy(() -> HelmChart.render(withoutDatabase))
            .withMessageContaining("cluster.enabled needs a registry database that every replica shares")
            .withMessageContaining("database.url");
        // a URL can carry a password: the refusal never repeats it
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.render(otherDatabase))
            .withMessageContaining("PostgreSQL")
            .withMessageNotContaining("database-password");
    }

    @Test
    void clusterWithoutTheMasterKeyFromASecretFailsToRender() {
        Map<String, Object> withoutKey = clusterValues();
        withoutKey.remove("registry");
        Map<String, Object> keyInExistingSecret = clusterValues();
        keyInExistingSecret.remove("registry");
        keyInExistingSecret.put("existingSecret", "gateway-secrets");
        Map<String, Object> keyFileFromExtraEnv = clusterValues();
        keyFileFromExtraEnv.remove("registry");
        keyFileFromExtraEnv.put("extraEnv", List.of(Map.of("name", "GATEWAY_REGISTRY_MASTER_KEY_FILE",
                "value", "/etc/gateway/master-key")));

        assertThatIllegalStateException().isThrownBy(() -> HelmChart.render(withoutKey))
            .withMessageContaining("cluster.enabled needs the registry's master key from a Secret");
        assertThat(at(HelmChart.render(keyInExistingSecret).one("Deployment"), CONTAINER + ".envFrom.1.secretRef.name"))
            .isEqualTo("gateway-secrets");
        assertThat(list(HelmChart.render(keyFileFromExtraEnv).one("Deployment"), CONTAINER + ".env"))
            .extracting(variable -> at(variable, "name")).contains("GATEWAY_REGISTRY_MASTER_KEY_FILE");
    }

    @Test
    void clusterWithAPersistentDataVolumeFailsToRender() {
        Map<String, Object> values = clusterValues();
        values.put("persistence", Map.of("enabled", true));

        assertThatIllegalStateException().isThrownBy(() -> HelmChart.render(values))
            .withMessageContaining("cluster.enabled and persistence.enabled")
            .withMessageContaining("ReadWriteOnce");
    }

    @Test
    void databaseValuesPointASingleGatewayAtPostgresqlTooAndRefuseTheSameSettingTwice() {
        Manifests manifests = HelmChart.render(Map.of("database", Map.of("url", DATABASE_URL, "username", "gateway"),
                "extraSecretEnv", Map.of("SPRING_DATASOURCE_PASSWORD", "database-password")));

        assertThat(configMap(manifests)).containsEntry("SPRING_DATASOURCE_URL", DATABASE_URL)
            .containsEntry("SPRING_DATASOURCE_USERNAME", "gateway")
            .doesNotContainKey("GATEWAY_CLUSTER_ENABLED");
        assertThat(manifests.secretData()).containsEntry("SPRING_DATASOURCE_PASSWORD", "database-password");
        assertThat(at(manifests.one("Deployment"), CONTAINER + ".env")).isNull();
        assertThatIllegalStateException()
            .isThrownBy(() -> HelmChart.render(Map.of("database", Map.of("url", DATABASE_URL),
                    "gateway", Map.of("extraConfig", Map.of("SPRING_DATASOURCE_URL", DATABASE_URL)))))
            .withMessageContaining("remove SPRING_DATASOURCE_URL from gateway.extraConfig");
        assertThatIllegalStateException()
            .isThrownBy(() -> HelmChart.render(Map.of("database", Map.of("url", DATABASE_URL,
                    "passwordSecret", Map.of("name", "gateway-database", "key", "password")),
                    "extraSecretEnv", Map.of("SPRING_DATASOURCE_PASSWORD", "database-password"))))
            .withMessageContaining("remove SPRING_DATASOURCE_PASSWORD from extraSecretEnv");
    }

    @Test
    void schemaRefusesMisspelledAndMalformedValues() {
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.render(Map.of("replicas", 2)))
            .withMessageContaining("replicas");
        assertThatIllegalStateException()
            .isThrownBy(() -> HelmChart.render(Map.of("gateway", Map.of("platform",
                    Map.of("endpoint", "https://iot.example.com")))))
            .withMessageContaining("endpoint");
        assertThatIllegalStateException()
            .isThrownBy(() -> HelmChart.render(Map.of("devices",
                    List.of(Map.of("productKey", "a61QmwQD5ZF", "deviceName", "mosheep")))))
            .withMessageContaining("deviceSecret");
    }

    @Test
    void installNotesWarnAboutTheEmulatorUntilAnEndpointIsSet() {
        String emulator = HelmChart.installNotes(Map.of());
        String platform = HelmChart.installNotes(Map.of("gateway",
                Map.of("platform", Map.of("endpoint", "ssl://iot.example.com:1883"))));

        assertThat(emulator).contains("runs its embedded IoT Platform EMULATOR", "OPEN SANDBOX")
            .contains("port-forward service/" + HelmChart.FULLNAME);
        assertThat(platform).doesNotContain("EMULATOR").contains("port-forward service/" + HelmChart.FULLNAME);
    }

    @Test
    void installNotesNameTheHeadlessServiceInClusterMode() {
        String notes = HelmChart.installNotes(clusterValues());

        assertThat(notes).contains("Cluster mode: 3 replica(s)", "headless Service " + CLUSTER_SERVICE);
        assertThat(HelmChart.installNotes(Map.of())).doesNotContain("Cluster mode");
    }

    @Test
    void everyGatewaySettingOfTheChartIsAConfigurationProperty() throws IOException {
        Set<String> properties = new TreeSet<>();
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("configuration metadata").isNotNull();
            for (JsonNode property : JsonMapper.builder().build().readTree(metadata).get("properties")) {
                properties.add(property.get("name").asString());
            }
        }
        Map<String, Object> gateway;
        try (Reader values = Files.newBufferedReader(HelmChart.DIRECTORY.resolve("values.yaml"))) {
            Map<String, Object> all = new Yaml().load(values);
            gateway = map(all, "gateway");
        }
        Set<String> mapped = new TreeSet<>();
        for (String group : List.of("platform", "message", "mqtt")) {
            map(gateway, group).keySet().forEach(key -> mapped.add("gateway." + group + "." + kebabCase(key)));
        }

        assertThat(mapped).hasSizeGreaterThan(10);
        assertThat(properties).containsAll(mapped);
    }

    /** Cluster mode with what it needs: a shared PostgreSQL registry and the master key from the chart's Secret. */
    private static Map<String, Object> clusterValues() {
        return withCluster(Map.of("enabled", true));
    }

    private static Map<String, Object> withCluster(Map<String, Object> cluster) {
        Map<String, Object> values = new HashMap<>();
        values.put("replicaCount", 3);
        values.put("cluster", cluster);
        values.put("database", Map.of("url", DATABASE_URL, "username", "gateway",
                "passwordSecret", Map.of("name", "gateway-database", "key", "password")));
        values.put("registry", Map.of("masterKey", "master-key-value"));
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Object> deployment, String name) {
        return list(deployment, CONTAINER + ".env").stream()
            .filter(variable -> name.equals(at(variable, "name")))
            .map(variable -> (Map<String, Object>) variable)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no environment variable " + name));
    }

    private static Map<String, Object> configMap(Manifests manifests) {
        return map(manifests.one("ConfigMap"), "data");
    }

    private static String kebabCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
