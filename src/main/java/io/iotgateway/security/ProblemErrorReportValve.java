package io.iotgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.iotgateway.web.ProblemType;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.HttpStatus;

/**
 * Tomcat refuses some requests before any servlet or filter sees them: a URI with {@code ..} above the root or an
 * encoded {@code /}, an oversized request line or header block, broken framing. Its error page would be HTML;
 * this valve writes the gateway's problem JSON instead. Answers the application already wrote are left alone.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.getOutputStream().write(problemJson(status, request.getDecodedRequestURI())
                .getBytes(StandardCharsets.UTF_8));
            response.finishResponse();
        }
        catch (IOException | IllegalStateException ex) {
            // the client is gone or the answer is already under way: nothing more to say
        }
    }

    static String problemJson(int status, String instance) {
        ProblemType type = switch (status) {
            case 400 -> ProblemType.INVALID_REQUEST;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            default -> null;
        };
        HttpStatus known = HttpStatus.resolve(status);
        String title = (type != null) ? type.title() : (known != null) ? known.getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 400 -> "The request was refused before the gateway read it: its URI (an encoded '/', '..' above "
                    + "the root, characters outside the URI syntax), a header or its framing is malformed, or the "
                    + "request line and headers exceed 8 KB.";
            default -> "The request was refused before the gateway read it.";
        };
        return "{" + ((type != null) ? "\"type\":\"" + type.type() + "\"," : "") + "\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"instance\":\"" + jsonSafe(instance)
                + "\"}";
    }

    // the URI of a rejected request is by definition odd: keep only what is plainly printable
    private static String jsonSafe(String text) {
        if (text == null) {
            return "";
        }
        String cut = (text.length() > 200) ? text.substring(0, 200) : text;
        return cut.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "?");
    }
}
