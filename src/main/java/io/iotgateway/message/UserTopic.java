package io.iotgateway.message;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;

/**
 * Builds a device's custom topic {@code /{productKey}/{deviceName}/user/{levels}} and checks it against the
 * platform's rules: at most {@value #MAX_BYTES} UTF-8 bytes, at most {@value #MAX_SLASHES} {@code /}, no empty
 * level, no wildcards, and custom levels of letters, digits and {@code _} only.
 */
final class UserTopic {

    static final int MAX_BYTES = 128;

    static final int MAX_SLASHES = 7;

    private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9_]+");

    private UserTopic() {
    }

    /**
     * @param device the publishing device
     * @param levels what follows {@code /user/}, e.g. {@code sheep} or {@code sensors/temp}
     * @return the full topic
     * @throws GatewayException 400 with the rule the topic breaks
     */
    static String of(DeviceId device, String levels) {
        if (levels.isEmpty()) {
            throw invalid("The topic is empty: add at least one level after /user/, e.g. /user/sheep.");
        }
        checkLevels(levels);
        String topic = "/" + device.productKey() + "/" + device.deviceName() + "/user/" + levels;
        checkBytes(topic);
        long slashes = topic.chars().filter(c -> c == '/').count();
        if (slashes > MAX_SLASHES) {
            throw invalid("The topic " + topic + " has " + slashes + " '/' separators; the IoT Platform allows at "
                    + "most " + MAX_SLASHES + ".");
        }
        return topic;
    }

    /** Every level non-empty, without wildcards, of letters, digits and {@code _} only. */
    static void checkLevels(String levels) {
        for (String level : levels.split("/", -1)) {
            checkLevel(level);
        }
    }

    /** At most {@value #MAX_BYTES} UTF-8 bytes. */
    static void checkBytes(String topic) {
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw invalid("The topic " + topic + " is " + bytes + " bytes long; the IoT Platform allows at most "
                    + MAX_BYTES + ".");
        }
    }

    private static void checkLevel(String level) {
        if (level.isEmpty()) {
            throw invalid("The topic has an empty level (a leading, trailing or doubled '/').");
        }
        if (level.contains("+") || level.contains("#")) {
            throw invalid("The topic level '" + printable(level) + "' contains a wildcard (+ or #); a message is "
                    + "published to one concrete topic.");
        }
        if (!LEVEL.matcher(level).matches()) {
            throw invalid("The topic level '" + printable(level) + "' may contain only letters, digits and _ "
                    + "(the IoT Platform's rule for custom topics).");
        }
    }

    // keeps control characters out of the answer and the logs
    private static String printable(String level) {
        StringBuilder out = new StringBuilder();
        level.codePoints()
            .limit(64)
            .forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }

    static GatewayException invalid(String detail) {
        return new GatewayException(ProblemType.INVALID_TOPIC, detail);
    }
}
