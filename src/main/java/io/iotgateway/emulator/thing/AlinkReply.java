package io.iotgateway.emulator.thing;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform's answer to one Alink request,
 * {@code {"code":200,"data":{},"id":"123","message":"success","method":"thing.event.property.post","version":"1.0"}}.
 *
 * @param code 200, or the platform's error code
 * @param message "success", or why not
 * @param id the request's {@code id} as it came (the platform echoes it), or {@code null} when it had none
 * @param method the request's method, or the topic's when the request had none
 */
public record AlinkReply(int code, String message, @Nullable JsonNode id, String method) {

    /** The request was accepted. */
    public static final int SUCCESS = 200;

    /** Empty params, malformed params, too many params (Alibaba's "request parameter error"). */
    public static final int PARAMETER_ERROR = 460;

    /** The request is not JSON. */
    public static final int NOT_JSON = 6207;

    /** The request has no method. */
    public static final int NO_METHOD = 6300;

    private static final JsonMapper json = JsonMapper.builder().build();

    static AlinkReply success(@Nullable JsonNode id, String method) {
        return new AlinkReply(SUCCESS, "success", id, method);
    }

    static AlinkReply parameterError(@Nullable JsonNode id, String method, String reason) {
        return new AlinkReply(PARAMETER_ERROR, "request parameter error: " + reason, id, method);
    }

    /** The reply's JSON bytes, keys in the platform's order. */
    public byte[] toJson() {
        ObjectNode reply = json.createObjectNode();
        reply.put("code", this.code);
        reply.putObject("data");
        reply.set("id", this.id);
        reply.put("message", this.message);
        reply.put("method", this.method);
        reply.put("version", "1.0");
        return json.writeValueAsBytes(reply);
    }
}
