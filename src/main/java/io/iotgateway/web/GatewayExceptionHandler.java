package io.iotgateway.web;

import io.iotgateway.credential.InvalidDeviceIdException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into an RFC 9457 problem: {@link GatewayException}s with their own status and type, Spring
 * MVC's exceptions as Spring maps them, anything else as a bare 500 that reveals nothing.
 */
@RestControllerAdvice
class GatewayExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Log log = LogFactory.getLog(GatewayExceptionHandler.class);

    /** A product key or device name from the caller that breaks the platform's rules, wherever it was parsed. */
    @ExceptionHandler(InvalidDeviceIdException.class)
    ResponseEntity<Object> handleInvalidDevice(InvalidDeviceIdException ex, WebRequest request) {
        return answer(new GatewayException(ProblemType.INVALID_DEVICE, ex.getMessage(), ex), request);
    }

    /**
     * A request whose {@code Accept} excludes {@code application/json}. For the write endpoints (publish, admin)
     * this is Spring MVC's answer to their {@code produces}, before the handler runs: nothing was published or
     * changed, so a client that retries publishes once.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        GatewayException notAcceptable = new GatewayException(ProblemType.NOT_ACCEPTABLE, "The gateway answers in "
                + "application/json; this request was not carried out because its Accept header excludes it. Accept "
                + "application/json (or */*).", ex);
        return handleExceptionInternal(ex, notAcceptable.getBody(), headers, status, request);
    }

    /**
     * Tomcat decodes the query string when a handler first reads a parameter, and throws on a broken
     * {@code %} escape (or too many parameters); a query nobody reads is never decoded and never refused.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> handleUndecodableQuery(InvalidParameterException ex, WebRequest request) {
        return answer(new GatewayException(ProblemType.INVALID_REQUEST, "The query string cannot be decoded: a '%' "
                + "is not followed by two hex digits (encode '%' itself as %25), or it has too many parameters.", ex),
                request);
    }

    private ResponseEntity<Object> answer(GatewayException failure, WebRequest request) {
        return handleExceptionInternal(failure, failure.getBody(), failure.getHeaders(), failure.getStatusCode(),
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        log.error("Unexpected failure for " + request.getDescription(false), ex);
        ProblemType internal = ProblemType.INTERNAL_ERROR;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(internal.status(),
                "The gateway failed unexpectedly; the message was not published. The failure is logged.");
        problem.setType(internal.type());
        problem.setTitle(internal.title());
        return createResponseEntity(problem, new HttpHeaders(), internal.status(), request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        // client errors are the caller's to fix: no stack trace; server-side failures keep their cause
        if (statusCode.is5xxServerError()) {
            Throwable cause = ex.getCause();
            log.warn(ex.getMessage() + " (" + request.getDescription(false) + ")"
                    + ((cause != null) ? "; cause: " + cause : ""));
        }
        else if (log.isDebugEnabled()) {
            log.debug(ex.getMessage() + " (" + request.getDescription(false) + ")");
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }
}
