package io.iotgateway.web;

/** Text a caller sent, as an answer or a log line may repeat it: printable ASCII only, and short. */
public final class CallerText {

    private CallerText() {
    }

    /** At most {@code maxLength} characters of {@code text} (then {@code ...}), anything but printable ASCII as ?. */
    public static String shown(String text, int maxLength) {
        String cut = (text.length() > maxLength) ? text.substring(0, maxLength) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
