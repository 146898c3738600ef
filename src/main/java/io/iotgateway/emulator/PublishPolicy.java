package io.iotgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.iotgateway.credential.DeviceId;

/**
 * The platform's rules for a device's PUBLISH: only its own {@code /{pk}/{dn}/user/...} and {@code /sys/{pk}/{dn}/...}
 * topics and the {@link SystemTopics} of its SDKs, at most 128 UTF-8 bytes and 7 {@code /}, no wildcards, QoS 0 or
 * 1, and a bounded payload.
 */
final class PublishPolicy {

    static final int MAX_TOPIC_BYTES = 128;

    static final int MAX_TOPIC_SLASHES = 7;

    private final long maxPayloadBytes;

    PublishPolicy(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    long maxPayloadBytes() {
        return this.maxPayloadBytes;
    }

    /** Why the device may not publish to the topic, or empty when it may. */
    Optional<String> topicRefusal(DeviceId device, String topic) {
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return Optional.of("wildcards + and # are not allowed in a publish topic");
        }
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            return Optional.of("topic has " + bytes + " bytes; the platform allows at most " + MAX_TOPIC_BYTES);
        }
        long slashes = topic.chars().filter((c) -> c == '/').count();
        // the limit of custom topics: the platform's own system topics have more levels (.../property/batch/post)
        if (slashes > MAX_TOPIC_SLASHES && !topic.startsWith(sysPrefix(device))) {
            return Optional.of("topic has " + slashes + " '/'; the platform allows at most " + MAX_TOPIC_SLASHES);
        }
        if (!isOwn(device, topic) && !SystemTopics.mayPublish(device, topic)) {
            return Optional.of("device " + device + " may publish only under " + userPrefix(device) + " and "
                    + sysPrefix(device) + " and to its shadow, OTA and NTP topics");
        }
        return Optional.empty();
    }

    /** Why the message may not be published whatever its topic, or empty when it may. */
    Optional<String> contentRefusal(int qos, int payloadBytes) {
        if (qos > 1) {
            return Optional.of("QoS " + qos + " is not supported; the platform accepts QoS 0 and 1");
        }
        if (payloadBytes > this.maxPayloadBytes) {
            return Optional.of("payload has " + payloadBytes + " bytes; the platform allows at most "
                    + this.maxPayloadBytes);
        }
        return Optional.empty();
    }

    /** Whether the device may subscribe to the filter: only under its own topics and to its system topics. */
    boolean maySubscribe(DeviceId device, String filter) {
        return isOwn(device, filter) || SystemTopics.maySubscribe(device, filter);
    }

    private static boolean isOwn(DeviceId device, String topic) {
        return hasSuffixAfter(topic, userPrefix(device)) || hasSuffixAfter(topic, sysPrefix(device));
    }

    private static boolean hasSuffixAfter(String topic, String prefix) {
        return topic.length() > prefix.length() && topic.startsWith(prefix);
    }

    private static String userPrefix(DeviceId device) {
        return "/" + device.productKey() + "/" + device.deviceName() + "/user/";
    }

    private static String sysPrefix(DeviceId device) {
        return "/sys/" + device.productKey() + "/" + device.deviceName() + "/";
    }
}
