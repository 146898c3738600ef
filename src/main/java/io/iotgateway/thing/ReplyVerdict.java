package io.iotgateway.thing;

import java.time.Duration;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;

/**
 * The platform's reply code as an HTTP answer. 200: accepted. The codes that refuse the request's data, 422, where
 * retrying the same data gets the same answer: 460 (bad parameters), 6106 (too many properties), 6207 (not JSON), the thing-model checks
 * 6300 to 6399 (e.g. 6300 no such method), 6450 (malformed Alink) and 6813 (topic illegal). 429: the platform
 * throttled the device, 429 with {@code Retry-After}. Anything else, among them what the device is rather than
 * what it sent (6100 device not found, 6203/6204 device disabled), and codes the gateway does not know: 502, with
 * the code.
 */
final class ReplyVerdict {

    static final int PARAMETER_ERROR = 460;

    static final int TOO_MANY_REQUESTS = 429;

    private static final int TOO_MANY_PROPERTIES = 6106;

    private static final int NOT_JSON = 6207;

    private static final int BAD_ALINK = 6450;

    private static final int TOPIC_ILLEGAL = 6813;

    private static final int SHOWN_MESSAGE_LENGTH = 200;

    private ReplyVerdict() {
    }

    /** Whether the reply accepted the request; otherwise throws the answer for its code. */
    static void check(AlinkReply reply, DeviceId device) {
        if (reply.code() == AlinkReply.SUCCESS) {
            return;
        }
        throw refusal(reply, device);
    }

    static GatewayException refusal(AlinkReply reply, DeviceId device) {
        String said = "The IoT Platform answered the device's Alink request " + reply.id() + " with code "
                + reply.code() + ((reply.message() != null) ? " (" + shown(reply.message()) + ")" : "");
        GatewayException answer;
        if (reply.code() == TOO_MANY_REQUESTS) {
            answer = new GatewayException(ProblemType.PLATFORM_THROTTLED, said + ": it throttled the device and did "
                    + "not accept the data; retry after Retry-After.").retryAfter(Duration.ofSeconds(1));
        }
        else if (refusesData(reply.code())) {
            answer = new GatewayException(ProblemType.THING_DATA_REFUSED, said + ": it refused the data (an "
                    + "identifier, type or range the thing model does not have, or a malformed request); fix the "
                    + "data, the same data gets the same answer.");
        }
        else {
            answer = new GatewayException(ProblemType.PLATFORM_ERROR, said + ": the data was not accepted.");
        }
        answer.with("device", device.toString()).with("alinkId", reply.id()).with("platformCode", reply.code());
        if (reply.message() != null) {
            answer.with("platformMessage", shown(reply.message()));
        }
        return answer;
    }

    static boolean refusesData(int code) {
        return code == PARAMETER_ERROR || code == TOO_MANY_PROPERTIES || code == NOT_JSON || (code >= 6300 && code <= 6399) || code == BAD_ALINK
                || code == TOPIC_ILLEGAL;
    }

    // the platform's text: printable, and short, in the answer
    private static String shown(String message) {
        String cut = (message.length() > SHOWN_MESSAGE_LENGTH) ? message.substring(0, SHOWN_MESSAGE_LENGTH) + "..."
                : message;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
