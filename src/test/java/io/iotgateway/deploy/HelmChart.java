package io.iotgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart in {@code helm/iot-gateway}, linted and rendered by real Helm: helm-java runs Helm's Go code as a native
 * library, so what passes here is what {@code helm template} and {@code helm install} do.
 */
final class HelmChart {

    static final Path DIRECTORY = Path.of("helm", "iot-gateway");

    static final String RELEASE = "gw";

    static final String FULLNAME = "gw-iot-gateway";

    private HelmChart() {
    }

    /** Why Helm cannot run here (its native library does not load), or {@code null} when it can. */
    static @Nullable String unavailableReason() {
        try {
            Helm.version().call();
            return null;
        }
        catch (LinkageError | RuntimeException ex) {
            return "helm-java's native Helm library cannot run on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + ex;
        }
    }

    static String helmVersion() {
        return Helm.version().call();
    }

    static LintResult lint() {
        return new Helm(DIRECTORY).lint().strict().call();
    }

    /**
     * Renders the chart as {@code helm template gw helm/iot-gateway -f values.yaml} does.
     * @throws IllegalStateException with Helm's message when the chart refuses the values
     */
    static Manifests render(Map<String, ?> values) {
        return Manifests.parse(withValuesFile(values, valuesFile -> new Helm(DIRECTORY).template().withName(RELEASE)
            .withNamespace("iot").withValuesFile(valuesFile).call()));
    }

    /** The NOTES.txt that {@code helm install} prints, from a client-only dry run (no cluster). */
    static String installNotes(Map<String, ?> values) {
        return withValuesFile(values, valuesFile -> new Helm(DIRECTORY).install().withName(RELEASE)
            .withNamespace("iot").dryRun().withDryRunOption(DryRun.CLIENT).clientOnly().withValuesFile(valuesFile)
            .call()
            .getOutput());
    }

    private static <T> T withValuesFile(Map<String, ?> values, Function<Path, T> helm) {
        try {
            Path valuesFile = Files.createTempFile("iot-gateway-values", ".yaml");
            try {
                Files.writeString(valuesFile, new Yaml().dump(values));
                return helm.apply(valuesFile);
            }
            finally {
                Files.deleteIfExists(valuesFile);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The rendered documents, as SnakeYAML maps. */
    record Manifests(List<Map<String, Object>> documents, String text) {

        @SuppressWarnings("unchecked")
        static Manifests parse(String text) {
            List<Map<String, Object>> documents = new ArrayList<>();
            for (Object document : new Yaml().loadAll(text)) {
                if (document != null) {
                    documents.add((Map<String, Object>) document);
                }
            }
            return new Manifests(documents, text);
        }

        List<String> kinds() {
            return this.documents.stream().map(document -> (String) document.get("kind")).toList();
        }

        /** The only document of this kind; fails the test if there is none or more than one. */
        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found = this.documents.stream()
                .filter(document -> kind.equals(document.get("kind")))
                .toList();
            assertThat(found).as("rendered %s documents", kind).hasSize(1);
            return found.getFirst();
        }

        /** The document of this kind and name; fails the test if there is none. */
        Map<String, Object> named(String kind, String name) {
            List<Map<String, Object>> found = this.documents.stream()
                .filter(document -> kind.equals(document.get("kind")) && name.equals(at(document, "metadata.name")))
                .toList();
            assertThat(found).as("rendered %s %s", kind, name).hasSize(1);
            return found.getFirst();
        }

        /** Everything rendered except the Secret, as YAML text: where secret values must never appear. */
        String allButSecrets() {
            Yaml yaml = new Yaml();
            return this.documents.stream()
                .filter(document -> !"Secret".equals(document.get("kind")))
                .map(yaml::dump)
                .reduce("", String::concat);
        }

        /** The chart's Secret, decoded. */
        Map<String, String> secretData() {
            Map<String, Object> data = map(one("Secret"), "data");
            Map<String, String> decoded = new java.util.TreeMap<>();
            data.forEach((key, value) -> decoded.put(key, new String(Base64.getDecoder().decode((String) value))));
            return decoded;
        }
    }

    /** The value at a dotted path of maps and list indexes, e.g. {@code spec.template.spec.containers.0}. */
    static @Nullable Object at(Object node, String path) {
        Object current = node;
        for (String segment : path.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(segment);
            }
            else if (current instanceof List<?> list && segment.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(segment);
                current = (index < list.size()) ? list.get(index) : null;
            }
            else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String path) {
        Object value = at(node, path);
        assertThat(value).as(path).isInstanceOf(Map.class);
        return (Map<String, Object>) Objects.requireNonNull(value);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String path) {
        Object value = at(node, path);
        assertThat(value).as(path).isInstanceOf(List.class);
        return (List<Object>) Objects.requireNonNull(value);
    }
}
