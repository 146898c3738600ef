package io.iotgateway.web;

import java.io.IOException;
import java.net.URI;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The container's error page ({@code /error}) as a problem instead of Boot's JSON map: what Tomcat refuses on its
 * own after parsing (e.g. {@code TRACE}, 405) and anything a filter answers with {@code sendError}. Errors inside
 * Spring MVC never get here; the gateway's exception handler answers them. Written directly, so that not even a
 * malformed {@code Accept} leaves the answer without a body.
 */
@Hidden
@Controller
class ProblemErrorController implements ErrorController {

    private final ProblemResponseWriter problems;

    ProblemErrorController(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpStatus status = status(request);
        ProblemDetail problem = switch (status) {
            case BAD_REQUEST -> typed(ProblemType.INVALID_REQUEST, "The request is malformed.");
            case CONTENT_TOO_LARGE -> typed(ProblemType.PAYLOAD_TOO_LARGE, "The request body is too large.");
            case INTERNAL_SERVER_ERROR -> typed(ProblemType.INTERNAL_ERROR, "The gateway failed unexpectedly; "
                    + "the message was not published.");
            default -> ProblemDetail.forStatus(status);
        };
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            try {
                problem.setInstance(URI.create(uri));
            }
            catch (IllegalArgumentException malformed) {
                // a URI odd enough to be refused is not repeated in the answer
            }
        }
        this.problems.write(request, response, problem);
    }

    private static ProblemDetail typed(ProblemType type, String detail) {
        return new GatewayException(type, detail).getBody();
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
        return (status != null && status.isError()) ? status : HttpStatus.NOT_FOUND;
    }
}
