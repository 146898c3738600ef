package io.iotgateway.thing;

import java.io.ByteArrayOutputStream;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the caller's JSON object and writes it again token by token, every number exactly as the caller wrote it
 * ({@code 1.0} stays {@code 1.0}: Alink wants a decimal point for float and double, and a parsed double or a
 * normalised BigDecimal could drop it or reformat it). Checks on the way that it is one JSON object with no key
 * twice, and that its keys are thing-model identifiers ({@link Identifier}). Values are the platform's to check
 * against the model: the gateway does not know it.
 */
final class CallerJson {

    private final ObjectReader reader;

    private final JsonMapper json;

    CallerJson(JsonMapper json) {
        this.json = json;
        this.reader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * @param what what the keys name, for the answers: "property", "event parameter"
     * @param mayBeEmpty whether {@code {}} is accepted
     * @return the object as compact JSON, numbers untouched
     * @throws GatewayException 400 for malformed JSON, another value than an object, a repeated key, an empty object
     * when it may not be, or a key that is not an identifier
     */
    byte[] object(byte[] body, String what, boolean mayBeEmpty) {
        ByteArrayOutputStream copy = new ByteArrayOutputStream(body.length);
        try (JsonParser in = this.reader.createParser(body); JsonGenerator out = this.json.createGenerator(copy)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("The body must be a JSON object of " + what + " identifiers to values.");
            }
            out.writeStartObject();
            int keys = 0;
            while (in.nextToken() == JsonToken.PROPERTY_NAME) {
                out.writeName(Identifier.check(in.currentName(), what));
                in.nextToken();
                copyValue(in, out);
                keys++;
            }
            out.writeEndObject();
            if (in.nextToken() != null) {
                throw invalid("The body holds more than one JSON value; send one object.");
            }
            if (keys == 0 && !mayBeEmpty) {
                throw invalid("The body is an empty JSON object; name at least one " + what + ".");
            }
        }
        catch (JacksonException ex) {
            throw invalid("The body is not well-formed JSON (" + ex.getOriginalMessage() + ").");
        }
        return copy.toByteArray();
    }

    private static void copyValue(JsonParser in, JsonGenerator out) {
        switch (in.currentToken()) {
            case START_OBJECT -> {
                out.writeStartObject();
                while (in.nextToken() == JsonToken.PROPERTY_NAME) {
                    out.writeName(in.currentName());
                    in.nextToken();
                    copyValue(in, out);
                }
                out.writeEndObject();
            }
            case START_ARRAY -> {
                out.writeStartArray();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    copyValue(in, out);
                }
                out.writeEndArray();
            }
            // the number's own text: 1.0, 1.50, 1e3 and 12345678901234567890 reach the platform as written
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.writeNumber(in.getString());
            case VALUE_STRING -> out.writeString(in.getString());
            case VALUE_TRUE, VALUE_FALSE -> out.writeBoolean(in.getBooleanValue());
            case VALUE_NULL -> out.writeNull();
            default -> throw invalid("The body holds an unexpected JSON token " + in.currentToken() + ".");
        }
    }

    private static GatewayException invalid(String detail) {
        return new GatewayException(ProblemType.INVALID_REQUEST, detail);
    }
}
