package io.iotgateway.emulator.thing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.io.Resource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A product's thing model as the emulator checks it: the properties and events of a TSL JSON in Alibaba's own
 * export shape ({@code {"properties":[{"identifier":..,"dataType":{..}}],"events":[{"identifier":..,
 * "outputData":[..]}]}}). Services and everything else in the export are ignored.
 *
 * @param properties the property types by identifier
 * @param events the output parameter types of each event, by event identifier
 */
public record ThingModel(Map<String, DataType> properties, Map<String, Map<String, DataType>> events) {

    private static final JsonMapper json = JsonMapper.builder().build();

    public ThingModel {
        properties = Map.copyOf(properties);
        events = Map.copyOf(events);
    }

    /** The type of the property, or empty when the model has no such property. */
    public Optional<DataType> property(String identifier) {
        return Optional.ofNullable(this.properties.get(identifier));
    }

    /** The output parameters of the event, or empty when the model has no such event. */
    public Optional<Map<String, DataType>> event(String identifier) {
        return Optional.ofNullable(this.events.get(identifier));
    }

    /**
     * Reads a TSL JSON.
     * @throws IllegalArgumentException when the resource is not a TSL JSON, naming the resource
     */
    public static ThingModel load(Resource tsl) {
        try (InputStream in = tsl.getInputStream()) {
            return parse(json.readTree(in));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the thing model " + tsl.getDescription(), ex);
        }
        catch (JacksonException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("The thing model " + tsl.getDescription() + " is not a TSL JSON: "
                    + ex.getMessage(), ex);
        }
    }

    /** Reads the properties and events of a parsed TSL JSON. */
    public static ThingModel parse(JsonNode tsl) {
        if (!tsl.isObject()) {
            throw new IllegalArgumentException("a TSL is a JSON object with \"properties\" and \"events\"");
        }
        Map<String, Map<String, DataType>> events = new LinkedHashMap<>();
        for (JsonNode event : tsl.path("events")) {
            events.put(identifier(event), types(event.path("outputData")));
        }
        return new ThingModel(types(tsl.path("properties")), events);
    }

    private static Map<String, DataType> types(JsonNode definitions) {
        Map<String, DataType> types = new LinkedHashMap<>();
        for (JsonNode definition : definitions) {
            JsonNode dataType = definition.path("dataType");
            String type = dataType.path("type").asString("");
            if (type.isEmpty()) {
                throw new IllegalArgumentException("'" + identifier(definition) + "' has no dataType.type");
            }
            types.put(identifier(definition), new DataType(type, dataType.path("specs")));
        }
        return types;
    }

    private static String identifier(JsonNode definition) {
        String identifier = definition.path("identifier").asString("");
        if (identifier.isEmpty()) {
            throw new IllegalArgumentException("a property, event or parameter has no identifier: " + definition);
        }
        return identifier;
    }
}
