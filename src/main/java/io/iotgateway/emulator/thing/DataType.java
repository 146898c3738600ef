package io.iotgateway.emulator.thing;

import java.math.BigDecimal;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One {@code dataType} of a TSL thing model, {@code {"type":"float","specs":{"min":"-40","max":"120"}}}, and the
 * platform's rules for a value of it in an Alink request: int a whole number, float and double a number with a
 * decimal point ({@code 10.0}, not {@code 10}), bool and enum a whole number that is a key of {@code specs}, text a
 * string of at most {@code specs.length} characters. Types the emulator does not check (date, struct, array) accept
 * any value.
 *
 * @param type the TSL type name
 * @param specs the TSL specs object, empty when the model has none
 */
public record DataType(String type, JsonNode specs) {

    // the TSL default and largest text length
    static final int MAX_TEXT_LENGTH = 10240;

    /** A type with no specs, for tests and for models that leave them out. */
    public static DataType of(String type) {
        return new DataType(type, JsonNodeFactory.instance.objectNode());
    }

    /** Why the value does not fit this type, or empty when it does. */
    public Optional<String> refusal(JsonNode value) {
        return switch (this.type) {
            case "int" -> integer(value).or(() -> range(value));
            case "float", "double" -> decimal(value).or(() -> range(value));
            case "bool", "enum" -> key(value);
            case "text" -> text(value);
            default -> Optional.empty();
        };
    }

    private Optional<String> integer(JsonNode value) {
        if (!value.isIntegralNumber()) {
            return Optional.of("must be an int (a whole number), not " + value);
        }
        return value.canConvertToInt() ? Optional.empty() : Optional.of("is outside the 32-bit int range: " + value);
    }

    private Optional<String> decimal(JsonNode value) {
        if (value.isFloatingPointNumber()) {
            return Optional.empty();
        }
        if (value.isIntegralNumber()) {
            return Optional.of("must be a " + this.type + " with a decimal point (" + value + ".0, not " + value + ")");
        }
        return Optional.of("must be a " + this.type + ", not " + value);
    }

    private Optional<String> range(JsonNode value) {
        BigDecimal number = value.decimalValue();
        Optional<BigDecimal> min = bound("min");
        Optional<BigDecimal> max = bound("max");
        if (min.isPresent() && number.compareTo(min.get()) < 0 || max.isPresent() && number.compareTo(max.get()) > 0) {
            return Optional.of("is " + value + ", outside " + min.map(BigDecimal::toPlainString).orElse("") + ".."
                    + max.map(BigDecimal::toPlainString).orElse(""));
        }
        return Optional.empty();
    }

    private Optional<BigDecimal> bound(String name) {
        try {
            return this.specs.path(name).asStringOpt().filter((text) -> !text.isBlank()).map(BigDecimal::new);
        }
        catch (NumberFormatException ex) {
            // a model with a malformed bound checks nothing there
            return Optional.empty();
        }
    }

    private Optional<String> key(JsonNode value) {
        if (!value.isIntegralNumber()) {
            return Optional.of("must be a whole number, one of " + this.specs.propertyNames() + ", not " + value);
        }
        boolean unconstrained = this.specs.isEmpty() && ("enum".equals(this.type) || value.asInt() == 0
                || value.asInt() == 1);
        if (unconstrained || this.specs.has(value.asString())) {
            return Optional.empty();
        }
        return Optional.of("is " + value + ", not one of " + this.specs.propertyNames());
    }

    private Optional<String> text(JsonNode value) {
        if (!value.isString()) {
            return Optional.of("must be a text (a JSON string), not " + value);
        }
        int limit = this.specs.path("length").asStringOpt().flatMap(DataType::parseInt).orElse(MAX_TEXT_LENGTH);
        int length = value.stringValue().codePointCount(0, value.stringValue().length());
        return (length <= limit) ? Optional.empty()
                : Optional.of("has " + length + " characters; the model allows at most " + limit);
    }

    private static Optional<Integer> parseInt(String text) {
        try {
            return Optional.of(Integer.parseInt(text.trim()));
        }
        catch (NumberFormatException ex) {
            return Optional.empty();
        }
    }
}
