package io.iotgateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code gateway.*} properties the jar under test knows, read from its Spring configuration metadata, so the
 * benchmark adapts to the build it measures: it turns warm-up off for the cold-path scenario only when the build
 * has warm-up, reports the global connect rate when there is one, and lists the settings in the results.
 */
final class GatewayMetadata {

    private static final String[] ENTRIES = { "BOOT-INF/classes/META-INF/spring-configuration-metadata.json",
            "META-INF/spring-configuration-metadata.json" };

    /** name to default value ("" when none), in the metadata's order. */
    final Map<String, String> defaults = new LinkedHashMap<>();

    final Map<String, String> types = new LinkedHashMap<>();

    static GatewayMetadata read(Path jar) throws IOException {
        GatewayMetadata metadata = new GatewayMetadata();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = null;
            for (String name : ENTRIES) {
                if (entry == null) {
                    entry = zip.getEntry(name);
                }
            }
            if (entry == null) {
                return metadata;
            }
            String json;
            try (InputStream in = zip.getInputStream(entry)) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode properties = JsonMapper.shared().readTree(json).path("properties");
            for (JsonNode property : properties) {
                String name = property.path("name").asString("");
                if (name.startsWith("gateway.")) {
                    JsonNode value = property.path("defaultValue");
                    metadata.defaults.putIfAbsent(name, value.isMissingNode() || value.isNull() ? "" : value.asString());
                    metadata.types.putIfAbsent(name, property.path("type").asString(""));
                }
            }
        }
        return metadata;
    }

    boolean has(String name) {
        return this.defaults.containsKey(name);
    }

    /** The boolean property that switches eager warm-up, if this build has one. */
    Optional<String> warmUpSwitch() {
        return this.defaults.keySet()
            .stream()
            .filter(name -> name.matches("gateway\\.mqtt\\.warm-?up(\\.enabled)?"))
            .filter(name -> this.types.getOrDefault(name, "").toLowerCase().contains("boolean"))
            .findFirst();
    }

    /** A global connect rate (connects per second over all devices), if this build has one. */
    Optional<String> connectRate() {
        return this.defaults.keySet()
            .stream()
            .filter(name -> name.startsWith("gateway.mqtt.") && name.contains("connect")
                    && (name.contains("rate") || name.contains("per-second")) && !name.contains("per-minute"))
            .findFirst();
    }

    /** A maximum of open connections (the pool limit), if this build has one. */
    Optional<String> maxConnections() {
        return this.defaults.keySet()
            .stream()
            .filter(name -> name.startsWith("gateway.") && name.endsWith("max-connections"))
            .findFirst();
    }
}
