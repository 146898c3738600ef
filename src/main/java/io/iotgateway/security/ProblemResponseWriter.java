package io.iotgateway.security;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes an RFC 9457 problem where Spring MVC's exception handling cannot help (the security filter chain, the
 * container's error page): the same members as every other answer of the gateway, and always JSON, whatever the
 * request's {@code Accept} says.
 */
final class ProblemResponseWriter {

    private static final String ABOUT_BLANK = "about:blank";

    private final JsonMapper json;

    ProblemResponseWriter(JsonMapper json) {
        this.json = json;
    }

    void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        write(request, response, new GatewayException(type, detail).getBody());
    }

    /** The exception's problem with its headers (e.g. {@code Retry-After}) and extension members. */
    void write(HttpServletRequest request, HttpServletResponse response, GatewayException failure) throws IOException {
        failure.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        write(request, response, failure.getBody());
    }

    void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        URI type = problem.getType();
        if (type != null && !ABOUT_BLANK.equals(type.toString())) {
            body.put("type", type.toString());
        }
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", (problem.getInstance() != null) ? problem.getInstance().toString()
                : request.getRequestURI());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.setStatus(problem.getStatus());
        // JSON is UTF-8 by definition: no charset parameter, like the gateway's other problems
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(this.json.writeValueAsBytes(body));
        response.flushBuffer();
    }
}
