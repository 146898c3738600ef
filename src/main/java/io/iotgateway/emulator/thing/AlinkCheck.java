package io.iotgateway.emulator.thing;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a property or event post as the platform does: 6207 when it is not JSON, 6300 without a method, 460 when
 * its params are empty, malformed, too many, dated more than 24 h ahead, or refused by the product's thing model
 * (an identifier the model does not define, a value of the wrong type or out of range). Without a model every
 * identifier is accepted. A request with {@code "sys":{"ack":0}} gets no answer at all.
 */
public final class AlinkCheck {

    /** Params in one post; the emulator's limit, the platform's own number is not documented. */
    static final int MAX_PARAMS = 200;

    /** How far ahead of the platform's clock a value's {@code time} may be. */
    static final Duration MAX_FUTURE = Duration.ofHours(24);

    // floating-point literals as BigDecimal: range checks on the exact decimal, and 10 stays apart from 10.0
    private static final JsonMapper json = JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();

    private final Clock clock;

    public AlinkCheck(Clock clock) {
        this.clock = clock;
    }

    /**
     * The platform's reply to a request published on the topic.
     * @param model the product's thing model, or empty to accept any identifier
     * @return the reply, or empty when the request asked for none
     */
    public Optional<AlinkReply> answer(AlinkTopic topic, byte[] payload, Optional<ThingModel> model) {
        JsonNode request = parse(payload);
        if (request == null || !request.isObject()) {
            return Optional.of(new AlinkReply(AlinkReply.NOT_JSON, "the request is not a JSON object", null,
                    topic.method()));
        }
        JsonNode id = request.get("id");
        JsonNode ack = request.path("sys").path("ack");
        if (ack.isIntegralNumber() && ack.asInt() == 0) {
            return Optional.empty();
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isString() || method.stringValue().isBlank()) {
            return Optional.of(new AlinkReply(AlinkReply.NO_METHOD, "method not found", id, topic.method()));
        }
        if (!topic.method().equals(method.stringValue())) {
            return Optional.of(AlinkReply.parameterError(id, method.stringValue(),
                    "method '" + method.stringValue() + "' does not match the topic, which takes '" + topic.method()
                            + "'"));
        }
        JsonNode params = request.path("params");
        Optional<String> refusal = (topic.event() == null) ? propertiesRefusal(params, model)
                : eventRefusal(topic.event(), params, model);
        return Optional.of(refusal.map((reason) -> AlinkReply.parameterError(id, topic.method(), reason))
            .orElseGet(() -> AlinkReply.success(id, topic.method())));
    }

    private Optional<String> propertiesRefusal(JsonNode params, Optional<ThingModel> model) {
        Optional<String> shape = paramsShapeRefusal(params, "params");
        if (shape.isPresent()) {
            return shape;
        }
        for (Map.Entry<String, JsonNode> param : params.properties()) {
            JsonNode value = param.getValue();
            if (value.isObject() && value.has("value")) {
                Optional<String> time = timeRefusal(value.get("time"), "property '" + param.getKey() + "'");
                if (time.isPresent()) {
                    return time;
                }
                value = value.get("value");
            }
            Optional<String> refusal = valueRefusal(param.getKey(), value,
                    model.map((thing) -> thing.property(param.getKey())), "property");
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private Optional<String> eventRefusal(String event, JsonNode params, Optional<ThingModel> model) {
        Optional<Map<String, DataType>> outputs = model.flatMap((thing) -> thing.event(event));
        if (model.isPresent() && outputs.isEmpty()) {
            return Optional.of("event '" + event + "' is not defined in the product's thing model");
        }
        JsonNode value = params.path("value");
        if (!params.isObject() || !value.isObject()) {
            return Optional.of("params of an event post must be {\"value\":{output parameters},\"time\":ms}");
        }
        Optional<String> time = timeRefusal(params.get("time"), "event '" + event + "'");
        if (time.isPresent() || value.size() > MAX_PARAMS) {
            return time.or(() -> Optional.of("more than " + MAX_PARAMS + " output parameters"));
        }
        for (Map.Entry<String, JsonNode> output : value.properties()) {
            Optional<String> refusal = valueRefusal(output.getKey(), output.getValue(),
                    outputs.map((types) -> Optional.ofNullable(types.get(output.getKey()))),
                    "output parameter of event '" + event + "'");
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    /** @param type empty without a model; a model's answer (empty when it does not define the identifier) */
    private static Optional<String> valueRefusal(String identifier, JsonNode value, Optional<Optional<DataType>> type,
            String kind) {
        if (type.isEmpty()) {
            return Optional.empty();
        }
        return type.get()
            .map((defined) -> defined.refusal(value).map((reason) -> kind + " '" + identifier + "' " + reason))
            .orElseGet(() -> Optional.of(kind + " '" + identifier + "' is not defined in the product's thing model"));
    }

    private static Optional<String> paramsShapeRefusal(JsonNode params, String name) {
        if (!params.isObject()) {
            return Optional.of(name + " must be a JSON object of identifiers to values");
        }
        if (params.isEmpty()) {
            return Optional.of(name + " is empty");
        }
        return (params.size() > MAX_PARAMS) ? Optional.of(name + " has more than " + MAX_PARAMS + " entries")
                : Optional.empty();
    }

    private Optional<String> timeRefusal(@Nullable JsonNode time, String what) {
        if (time == null || time.isNull()) {
            return Optional.empty();
        }
        if (!time.isIntegralNumber() || !time.canConvertToLong()) {
            return Optional.of(what + " has a time that is not milliseconds since the epoch: " + time);
        }
        long latest = this.clock.millis() + MAX_FUTURE.toMillis();
        return (time.longValue() > latest)
                ? Optional.of(what + " has a time more than 24 hours in the future: " + time) : Optional.empty();
    }

    private static @Nullable JsonNode parse(byte[] payload) {
        try {
            return json.readTree(payload);
        }
        catch (JacksonException ex) {
            return null;
        }
    }
}
