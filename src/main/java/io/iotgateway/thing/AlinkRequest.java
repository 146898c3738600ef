package io.iotgateway.thing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.iotgateway.credential.DeviceId;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * An Alink request a device posts and where it goes, e.g. a property post
 * {@code {"id":"123","version":"1.0","params":{"temperature":23.6},"method":"thing.event.property.post","sys":{"ack":1}}}
 * on {@code /sys/{pk}/{dn}/thing/event/property/post}. The caller's parameters are spliced in as
 * {@link CallerJson} copied them, numbers untouched.
 *
 * @param topic where it is published
 * @param method the Alink method
 * @param params the {@code params} member, as JSON
 */
record AlinkRequest(String topic, String method, byte[] params) {

    static final String VERSION = "1.0";

    static final String PROPERTY = "property";

    /** A property post: {@code params} is the caller's object of identifiers to values (plain, or {value, time}). */
    static AlinkRequest properties(DeviceId device, byte[] callerObject) {
        return new AlinkRequest(eventTopic(device, PROPERTY), "thing.event.property.post", callerObject);
    }

    /** An event post: {@code params} is {@code {"value": <the caller's output parameters>, "time": timeMillis}}. */
    static AlinkRequest event(DeviceId device, String identifier, byte[] callerObject, long timeMillis) {
        String params = "{\"value\":" + new String(callerObject, StandardCharsets.UTF_8) + ",\"time\":" + timeMillis
                + "}";
        return new AlinkRequest(eventTopic(device, identifier), "thing.event." + identifier + ".post",
                params.getBytes(StandardCharsets.UTF_8));
    }

    /** The filter of every reply to the device's property and event posts. */
    static String replyFilter(DeviceId device) {
        return eventTopic(device, "+") + "_reply";
    }

    private static String eventTopic(DeviceId device, String identifier) {
        return "/sys/" + device.productKey() + "/" + device.deviceName() + "/thing/event/" + identifier + "/post";
    }

    /** The request with its id: {@code sys.ack} 1 asks the platform for a reply, 0 for none. */
    byte[] payload(JsonMapper json, String id, boolean ack) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(this.params.length + 128);
        try (JsonGenerator request = json.createGenerator(out)) {
            request.writeStartObject();
            request.writeStringProperty("id", id);
            request.writeStringProperty("version", VERSION);
            request.writeName("params");
            request.writeRawValue(new String(this.params, StandardCharsets.UTF_8));
            request.writeStringProperty("method", this.method);
            request.writeName("sys");
            request.writeStartObject();
            request.writeNumberProperty("ack", ack ? 1 : 0);
            request.writeEndObject();
            request.writeEndObject();
        }
        return out.toByteArray();
    }
}
