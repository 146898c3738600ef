package io.iotgateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Helm chart, linted and rendered by real Helm for default and non-default values. Skipped, with the reason,
 * where helm-java's native library cannot load.
 */
class HelmChartTests {

    private static final String CONTAINER = "spec.template.spec.containers.0";

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
    void moreThanOneReplicaFailsToRenderWithoutTheOptIn() {
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.render(Map.of("replicaCount", 2)))
            .withMessageContaining("one MQTT connection per device")
            .withMessageContaining("allowMultipleReplicas");
    }

    @Test
    void moreThanOneReplicaRendersWithTheOptIn() {
        Manifests manifests = HelmChart.render(Map.of("replicaCount", 2, "allowMultipleReplicas", true));

        assertThat(at(manifests.one("Deployment"), "spec.replicas")).isEqualTo(2);
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

    private static Map<String, Object> configMap(Manifests manifests) {
        return map(manifests.one("ConfigMap"), "data");
    }

    private static String kebabCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
