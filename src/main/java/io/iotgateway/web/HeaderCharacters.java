package io.iotgateway.web;

/**
 * The characters Spring Security's {@code StrictHttpFirewall} allows in header names and values, checked with a
 * loop instead of its default regular expressions ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, tab allowed in
 * values). Same rule, but the firewall checks every header the application reads on every request, and the
 * regular expressions allocated a matcher each time: 1 % of the gateway's CPU samples under load, and with the
 * gateway's own checks of device and topic, 6 % of its allocation (docs/performance.md).
 */
final class HeaderCharacters {

    private HeaderCharacters() {
    }

    /** Every code point assigned in Unicode and not a control character (C0, DEL, C1). */
    static boolean isAllowedName(String name) {
        return allAllowed(name, false);
    }

    /** As {@link #isAllowedName(String)}, and tab. */
    static boolean isAllowedValue(String value) {
        return allAllowed(value, true);
    }

    private static boolean allAllowed(String text, boolean tabAllowed) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                // printable ASCII, nearly every header character
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            if (!isAllowed(codePoint) && !(tabAllowed && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    private static boolean isAllowed(int codePoint) {
        // the regular expression's \p{IsControl} is general category Cc, which is exactly Character.isISOControl
        return Character.getType(codePoint) != Character.UNASSIGNED && !Character.isISOControl(codePoint);
    }
}
