package io.iotgateway.thing;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * The platform's reply to an Alink request, e.g.
 * {@code {"code":200,"data":{},"id":"123","message":"success","method":"thing.event.property.post","version":"1.0"}}.
 *
 * @param id the id of the request it answers
 * @param code 200, or the platform's error code (460, 6xxx, 429, ...)
 * @param message the platform's text, if any
 * @param data the reply's {@code data}, if any
 */
record AlinkReply(String id, int code, @Nullable String message, @Nullable JsonNode data) {

    static final int SUCCESS = 200;

    /** The reply in {@code payload}, or {@code null} when it is not one (not JSON, no id or code). */
    static @Nullable AlinkReply parse(ObjectReader json, byte[] payload) {
        JsonNode reply;
        try {
            reply = json.readTree(payload);
        }
        catch (JacksonException ex) {
            return null;
        }
        if (reply == null || !reply.isObject()) {
            return null;
        }
        JsonNode id = reply.get("id");
        JsonNode code = reply.get("code");
        if (id == null || !(id.isString() || id.isIntegralNumber()) || code == null || !code.canConvertToInt()) {
            return null;
        }
        JsonNode message = reply.get("message");
        return new AlinkReply(id.asString(), code.asInt(), (message != null && message.isString()) ? message.asString()
                : null, reply.get("data"));
    }
}
