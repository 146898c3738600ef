package io.iotgateway.emulator.thing;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A thing-model post topic the platform answers: {@code /sys/{pk}/{dn}/thing/event/property/post} or
 * {@code /sys/{pk}/{dn}/thing/event/{identifier}/post}.
 *
 * @param productKey the product in the topic
 * @param deviceName the device in the topic
 * @param event the event identifier, or {@code null} for a property post
 */
public record AlinkTopic(String productKey, String deviceName, @Nullable String event) {

    private static final String PROPERTY = "property";

    /** The post topic the name is, or empty when it is none (a reply topic, a batch post, a custom topic...). */
    public static Optional<AlinkTopic> parse(String topic) {
        String[] levels = topic.split("/", -1);
        // "", sys, pk, dn, thing, event, identifier, post
        if (levels.length != 8 || !levels[0].isEmpty() || !"sys".equals(levels[1]) || !"thing".equals(levels[4])
                || !"event".equals(levels[5]) || !"post".equals(levels[7]) || levels[6].isEmpty()) {
            return Optional.empty();
        }
        String identifier = levels[6];
        return Optional.of(new AlinkTopic(levels[2], levels[3], PROPERTY.equals(identifier) ? null : identifier));
    }

    /** The Alink method a request on this topic carries. */
    public String method() {
        return "thing.event." + ((this.event != null) ? this.event : PROPERTY) + ".post";
    }

    /** Where the platform answers. */
    public String replyTopic() {
        return "/sys/" + this.productKey + "/" + this.deviceName + "/thing/event/"
                + ((this.event != null) ? this.event : PROPERTY) + "/post_reply";
    }
}
