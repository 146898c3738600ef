package io.iotgateway.message;

import java.nio.charset.StandardCharsets;

import io.iotgateway.web.CallerText;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The one query parameter an endpoint that posts as a device takes, read from the raw query string and never
 * through {@code getParameter} (which would parse a form body). It may be given at most once, and any other name is
 * refused with 400, so that a misspelling ({@code QOS=0}, {@code Ack=0}) is not silently ignored.
 */
public final class QueryParameter {

    private static final int SHOWN_NAME_LENGTH = 32;

    private QueryParameter() {
    }

    /**
     * @param query the raw query string, or {@code null}
     * @param name the only parameter the endpoint takes
     * @param endpoint what the endpoint does, for the answer: "publishing", "posting properties"
     * @return the parameter's decoded value ({@code ""} when it has none), or {@code null} when absent
     * @throws GatewayException 400 for another parameter, {@code name} given more than once or a broken escape
     */
    public static @Nullable String single(@Nullable String query, String name, String endpoint) {
        if (query == null) {
            return null;
        }
        String value = null;
        int found = 0;
        for (String pair : StringUtils.delimitedListToStringArray(query, "&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String given = decode((equals >= 0) ? pair.substring(0, equals) : pair);
            if (!given.equals(name)) {
                throw new GatewayException(ProblemType.INVALID_REQUEST, "Unknown query parameter '" + shown(given)
                        + "': " + endpoint + " takes only " + name + " (lower case), e.g. ?" + name + "=0.");
            }
            found++;
            value = (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
        }
        if (found > 1) {
            throw new GatewayException(ProblemType.INVALID_REQUEST, "The query parameter " + name + " is given "
                    + found + " times; give it once.");
        }
        return value;
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
        return CallerText.shown(name, SHOWN_NAME_LENGTH);
    }
}
