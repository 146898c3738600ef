package io.iotgateway.web;

import java.io.IOException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat refuses some requests before any servlet or filter sees them: a URI with {@code ..} above the root or an
 * encoded {@code /}, an oversized request line or header block, broken framing. Its error page would be HTML;
 * this valve writes the gateway's problem JSON instead, through the same {@link ProblemResponseWriter} as every
 * other problem outside Spring MVC. Answers the application already wrote are left alone.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

    private static final String REFUSED = "The request was refused before the gateway read it.";

    private static final int SHOWN_URI_LENGTH = 200;

    private final ProblemResponseWriter problems;

    ProblemErrorReportValve(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            this.problems.write(response, problem(status), printable(request.getDecodedRequestURI()));
            response.finishResponse();
        }
        catch (IOException | IllegalStateException ex) {
            // the client is gone or the answer is already under way: nothing more to say
        }
    }

    static ProblemDetail problem(int status) {
        return switch (status) {
            case 400 -> new GatewayException(ProblemType.INVALID_REQUEST, "The request was refused before the "
                    + "gateway read it: its URI (an encoded '/', '..' above the root, characters outside the URI "
                    + "syntax), a header or its framing is malformed, or the request line and headers exceed 8 KB.")
                .getBody();
            case 413 -> new GatewayException(ProblemType.PAYLOAD_TOO_LARGE, REFUSED).getBody();
            default -> untyped(status);
        };
    }

    private static ProblemDetail untyped(int status) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), REFUSED);
        if (problem.getTitle() == null) {
            // a status without a reason phrase of its own, e.g. 499
            problem.setTitle("Error");
        }
        return problem;
    }

    // the URI of a rejected request is by definition odd: keep only what is plainly printable, and not too much
    static String printable(@Nullable String uri) {
        if (uri == null) {
            return "";
        }
        String cut = (uri.length() > SHOWN_URI_LENGTH) ? uri.substring(0, SHOWN_URI_LENGTH) : uri;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
