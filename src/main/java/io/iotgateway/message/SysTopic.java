package io.iotgateway.message;

import io.iotgateway.credential.DeviceId;

/**
 * Builds one of the device's own thing-model system topics, {@code /sys/{productKey}/{deviceName}/thing/{levels}},
 * for raw Alink published as-is: levels as for custom topics ({@link UserTopic}), at most
 * {@value UserTopic#MAX_BYTES} UTF-8 bytes. The custom topics' limit of {@value UserTopic#MAX_SLASHES} {@code /} is
 * not applied: the platform's own system topics exceed it ({@code /sys/{pk}/{dn}/thing/event/property/batch/post}
 * has eight). Other system topics ({@code /sys/.../rrpc/}, {@code /ext/}, {@code /ota/}) are not offered.
 */
final class SysTopic {

    static final String THING = "thing/";

    private SysTopic() {
    }

    /**
     * @param levels what follows {@code /sys/{pk}/{dn}/}, e.g. {@code thing/event/property/post}
     * @return the full topic
     * @throws io.iotgateway.web.GatewayException 400 with the rule the topic breaks
     */
    static String of(DeviceId device, String levels) {
        if (!levels.startsWith(THING) || levels.length() == THING.length()) {
            throw UserTopic.invalid("A system topic the gateway publishes to is one of the device's thing-model "
                    + "topics: /sys/{productKey}/{deviceName}/thing/..., e.g. sys/thing/event/property/post.");
        }
        UserTopic.checkLevels(levels);
        String topic = "/sys/" + device.productKey() + "/" + device.deviceName() + "/" + levels;
        UserTopic.checkBytes(topic);
        return topic;
    }
}
