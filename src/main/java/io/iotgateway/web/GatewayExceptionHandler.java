package io.iotgateway.web;

import io.iotgateway.credential.InvalidDeviceIdException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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
        GatewayException invalid = new GatewayException(ProblemType.INVALID_DEVICE, ex.getMessage(), ex);
        return handleExceptionInternal(invalid, invalid.getBody(), invalid.getHeaders(), invalid.getStatusCode(),
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
