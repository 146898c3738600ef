package io.iotgateway.message;

import java.nio.charset.StandardCharsets;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The publish endpoint's query string, read from the raw query and never through {@code getParameter} (which would
 * parse a form body). It takes one parameter, {@code qos}, at most once; any other name is refused with 400, so
 * that a misspelling ({@code QOS=0}, {@code qos0}) is not silently published at QoS 1.
 *
 * @param qos the {@code qos} value as given (checked by the service), or {@code null} when absent
 */
record PublishQuery(@Nullable String qos) {

    static final String QOS = "qos";

    private static final int SHOWN_NAME_LENGTH = 32;

    /** @throws GatewayException 400 for an unknown parameter, {@code qos} given more than once or a broken escape */
    static PublishQuery parse(@Nullable String query) {
        if (query == null) {
            return new PublishQuery(null);
        }
        String qos = null;
        int found = 0;
        for (String pair : StringUtils.delimitedListToStringArray(query, "&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
            if (!name.equals(QOS)) {
                throw new GatewayException(ProblemType.INVALID_REQUEST, "Unknown query parameter '" + shown(name)
                        + "': publishing takes only qos (lower case), e.g. ?qos=0.");
            }
            found++;
            qos = (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
        }
        if (found > 1) {
            throw new GatewayException(ProblemType.INVALID_REQUEST, "The query parameter qos is given " + found
                    + " times; give it once.");
        }
        return new PublishQuery(qos);
    }

    private static String decode(String text) {
        try {
            return StringUtils.uriDecode(text, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException ex) {
            throw new GatewayException(ProblemType.INVALID_REQUEST, "The query string has a '%' that is not "
                    + "followed by two hex digits; encode '%' itself as %25.");
        }
    }

    // the name comes from the caller: printable ASCII only, and short, in the answer
    private static String shown(String name) {
        String cut = (name.length() > SHOWN_NAME_LENGTH) ? name.substring(0, SHOWN_NAME_LENGTH) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
