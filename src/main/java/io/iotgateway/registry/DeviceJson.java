package io.iotgateway.registry;

import java.util.ArrayList;
import java.util.List;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON bodies of the admin API: a device import, an array of {@code {"productKey", "deviceName",
 * "deviceSecret", "description"}} objects, and a device PUT. Errors give a position, never the text at it (which
 * could be a secret).
 */
final class DeviceJson {

    private static final List<String> FIELDS = List.of("productKey", "deviceName", "deviceSecret", "description");

    private DeviceJson() {
    }

    static List<ImportRow> parse(JsonMapper mapper, byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        }
        catch (JacksonException ex) {
            throw invalid("The body is not valid JSON" + at(ex.getLocation()) + ".");
        }
        if (root == null || !root.isArray()) {
            throw invalid("The body must be a JSON array of {\"productKey\", \"deviceName\", \"deviceSecret\"} "
                    + "objects.");
        }
        List<ImportRow> rows = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            rows.add(row(i + 1, root.get(i)));
        }
        return rows;
    }

    /**
     * Reads the body of a device PUT. Spring's own reading would put the parser's message, which quotes the text
     * at fault (possibly a secret), into its DEBUG log; this names the position only.
     */
    static DeviceSecretRequest secretRequest(JsonMapper mapper, byte[] body) {
        try {
            DeviceSecretRequest request = mapper.readValue(body, DeviceSecretRequest.class);
            if (request == null) {
                throw new GatewayException(ProblemType.INVALID_DEVICE_SECRET, "The body must be a JSON object with "
                        + "a deviceSecret.");
            }
            return request;
        }
        catch (JacksonException ex) {
            throw new GatewayException(ProblemType.INVALID_REQUEST, "The body is not a JSON object of deviceSecret "
                    + "and description" + at(ex.getLocation()) + ".");
        }
    }

    private static ImportRow row(int position, JsonNode element) {
        if (!element.isObject()) {
            return ImportRow.unreadable(position, "The element is not an object");
        }
        List<@Nullable String> values = new ArrayList<>();
        for (String field : FIELDS) {
            JsonNode value = element.get(field);
            if (value != null && !value.isNull() && !value.isString()) {
                return ImportRow.unreadable(position, field + " must be a string");
            }
            values.add((value == null || value.isNull()) ? null : value.stringValue());
        }
        return new ImportRow(position, values.get(0), values.get(1), values.get(2), values.get(3));
    }

    private static String at(@Nullable TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static GatewayException invalid(String detail) {
        return new GatewayException(ProblemType.INVALID_IMPORT, detail);
    }
}
