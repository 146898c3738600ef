package io.iotgateway.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A failure that knows its HTTP answer: status, problem type and a client-facing detail. The detail never carries
 * secrets, signatures or broker internals.
 */
public class GatewayException extends ErrorResponseException {

    private final ProblemType problemType;

    public GatewayException(ProblemType problemType, String detail) {
        this(problemType, detail, null);
    }

    public GatewayException(ProblemType problemType, String detail, @Nullable Throwable cause) {
        super(problemType.status(), problemDetail(problemType, detail), cause);
        this.problemType = problemType;
    }

    private static ProblemDetail problemDetail(ProblemType problemType, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(problemType.status(), detail);
        problem.setType(problemType.type());
        problem.setTitle(problemType.title());
        return problem;
    }

    public ProblemType problemType() {
        return this.problemType;
    }

    /** Adds {@code Retry-After} (whole seconds, at least 1) and the same figure as a {@code retryAfterSeconds} member. */
    public GatewayException retryAfter(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        getBody().setProperty("retryAfterSeconds", seconds);
        return this;
    }

    /** Adds an extension member to the problem, e.g. the device the problem is about. */
    public GatewayException with(String name, Object value) {
        getBody().setProperty(name, value);
        return this;
    }

    @Override
    public String getMessage() {
        String detail = getBody().getDetail();
        return this.problemType.title() + ((detail != null) ? ": " + detail : "");
    }
}
