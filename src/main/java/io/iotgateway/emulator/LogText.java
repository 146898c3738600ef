package io.iotgateway.emulator;

import org.jspecify.annotations.Nullable;

/**
 * Text from the network (client ids, user names, topics, and refusal reasons that quote them) made safe for one
 * log line: control characters, line and paragraph separators and the backslash are written as Java escapes
 * ({@code \n}, {@code \u001B}, {@code \\}), so a client cannot forge a log line or send ANSI sequences to the
 * operator's terminal; and cut to a length a log line can carry (an MQTT string may be 64 KB).
 */
final class LogText {

    static final int MAX_LENGTH = 256;

    private LogText() {
    }

    static String escape(@Nullable String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder escaped = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
        int shown = Math.min(text.length(), MAX_LENGTH);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '\\' -> escaped.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        escaped.append(String.format("\\u%04X", (int) c));
                    }
                    else {
                        escaped.append(c);
                    }
                }
            }
        }
        if (text.length() > shown) {
            escaped.append("...(").append(text.length()).append(" characters)");
        }
        return escaped.toString();
    }
}
