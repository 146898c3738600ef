package io.iotgateway.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the gateway's CPU went, from JFR execution samples ({@code jfr print --events jdk.ExecutionSample}): each
 * sample is charged to the library of its first frame, from the top of the stack, that is not the JDK's own (so a
 * {@code ConcurrentHashMap.get} called by Micrometer counts as Micrometer), and the most frequent such frames are
 * listed.
 */
final class Profile {

    private static final Pattern FRAME = Pattern.compile("^\\s+([\\w.$<>]+)\\(", Pattern.MULTILINE);

    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("org.eclipse.paho.", "Paho (MQTT client)");
        COMPONENTS.put("io.micrometer.", "Micrometer (metrics, observations)");
        COMPONENTS.put("tools.jackson.", "Jackson (JSON)");
        COMPONENTS.put("com.fasterxml.jackson.", "Jackson (JSON)");
        COMPONENTS.put("org.springframework.security.", "Spring Security");
        COMPONENTS.put("org.springframework.integration.", "Spring Integration, messaging");
        COMPONENTS.put("org.springframework.messaging.", "Spring Integration, messaging");
        COMPONENTS.put("org.springframework.web.", "Spring MVC, web");
        COMPONENTS.put("org.springframework.http.", "Spring MVC, web");
        COMPONENTS.put("org.springframework.boot.loader.", "Spring Boot loader (nested jar URLs)");
        COMPONENTS.put("org.springframework.", "Spring, other");
        COMPONENTS.put("org.apache.catalina.", "Tomcat");
        COMPONENTS.put("org.apache.tomcat.", "Tomcat");
        COMPONENTS.put("org.apache.coyote.", "Tomcat");
        COMPONENTS.put("jakarta.", "Tomcat");
        COMPONENTS.put("io.iotgateway.", "gateway code");
        COMPONENTS.put("ch.qos.logback.", "logging");
        COMPONENTS.put("org.slf4j.", "logging");
        COMPONENTS.put("org.apache.commons.logging.", "logging");
        COMPONENTS.put("org.h2.", "database");
    }

    final Map<String, Integer> byComponent = new TreeMap<>();

    final Map<String, Integer> byFrame = new TreeMap<>();

    int samples;

    static Profile of(String jfrPrint) {
        Profile profile = new Profile();
        String[] events = jfrPrint.split("jdk\\.ExecutionSample");
        for (int i = 1; i < events.length; i++) {
            Matcher frame = FRAME.matcher(events[i]);
            List<String> frames = new ArrayList<>();
            while (frame.find()) {
                frames.add(frame.group(1));
            }
            if (frames.isEmpty()) {
                continue;
            }
            profile.samples++;
            String component = "JDK only (no library frame)";
            String first = frames.get(0);
            for (String name : frames) {
                String match = componentOf(name);
                if (match != null) {
                    component = match;
                    first = name;
                    break;
                }
            }
            profile.byComponent.merge(component, 1, Integer::sum);
            profile.byFrame.merge(first, 1, Integer::sum);
        }
        return profile;
    }

    private static String componentOf(String frame) {
        for (Map.Entry<String, String> component : COMPONENTS.entrySet()) {
            if (frame.startsWith(component.getKey())) {
                return component.getValue();
            }
        }
        return null;
    }

    /** Markdown: the components by share of samples, then the most frequent first non-JDK frames. */
    String markdown(int frames) {
        StringBuilder out = new StringBuilder();
        out.append("| Component (first non-JDK frame from the top of the stack) | samples | share |\n|---|---|---|\n");
        this.byComponent.entrySet()
            .stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .forEach(e -> out.append(String.format(java.util.Locale.ROOT, "| %s | %d | %.1f %% |\n", e.getKey(),
                    e.getValue(), 100.0 * e.getValue() / this.samples)));
        out.append("\n| Most frequent first non-JDK frame | share |\n|---|---|\n");
        this.byFrame.entrySet()
            .stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(frames)
            .forEach(e -> out.append(String.format(java.util.Locale.ROOT, "| `%s` | %.1f %% |\n", e.getKey(),
                    100.0 * e.getValue() / this.samples)));
        return out.toString();
    }
}
