package io.iotgateway.thing;

import java.util.regex.Pattern;

import io.iotgateway.web.CallerText;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;

/**
 * The platform's rule for the identifiers of a thing model's properties, events and their parameters: letters,
 * digits and {@code _}, 1 to 50 characters. Checked before anything is published, so that a typo is a 400 with the
 * rule rather than a platform error after a round trip.
 */
final class Identifier {

    static final int MAX_LENGTH = 50;

    // how much of a refused identifier the answer repeats
    private static final int SHOWN_LENGTH = 64;

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_]{1," + MAX_LENGTH + "}");

    // the property post's own topic level: an event of this name would be a property post
    private static final String PROPERTY = "property";

    private Identifier() {
    }

    /** @param what what the identifier names, for the answer: "property", "event" */
    static String check(String identifier, String what) {
        if (!FORM.matcher(identifier).matches()) {
            throw new GatewayException(ProblemType.INVALID_IDENTIFIER, "The " + what + " identifier '"
                    + shown(identifier) + "' is not one: identifiers are 1 to " + MAX_LENGTH + " letters, digits and _.")
                .with("identifier", shown(identifier));
        }
        return identifier;
    }

    static String checkEvent(String identifier) {
        check(identifier, "event");
        if (identifier.equals(PROPERTY)) {
            throw new GatewayException(ProblemType.INVALID_IDENTIFIER, "'property' is not an event identifier: "
                    + "/thing/event/property/post is the property post; use POST .../properties.");
        }
        return identifier;
    }

    // the identifier comes from the caller: printable ASCII only, and short, in the answer
    private static String shown(String identifier) {
        return CallerText.shown(identifier, SHOWN_LENGTH);
    }
}
