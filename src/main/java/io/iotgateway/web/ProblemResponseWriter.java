package io.iotgateway.web;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes an RFC 9457 problem where Spring MVC's exception handling cannot help: the filters, the security chain,
 * the container's error page and the requests Tomcat refuses itself. The same members as every other answer of the
 * gateway, written by the application's {@code JsonMapper}, and always JSON, whatever the request's {@code Accept}
 * says. Every problem outside Spring MVC goes through here.
 */
public final class ProblemResponseWriter {

    private static final String ABOUT_BLANK = "about:blank";

    private final JsonMapper json;

    public ProblemResponseWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        write(request, response, new GatewayException(type, detail).getBody());
    }

    /** The exception's problem with its headers (e.g. {@code Retry-After}) and extension members. */
    public void write(HttpServletRequest request, HttpServletResponse response, GatewayException failure)
            throws IOException {
        failure.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        write(request, response, failure.getBody());
    }

    /** The problem, its {@code instance} the request's URI unless the problem names one. */
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        URI instance = problem.getInstance();
        write(response, problem, (instance != null) ? instance.toString() : request.getRequestURI());
    }

    /**
     * The problem with the {@code instance} given as text: a request the container refused may have a URI that
     * does not even parse.
     */
    void write(HttpServletResponse response, ProblemDetail problem, String instance) throws IOException {
        byte[] body = this.json.writeValueAsBytes(members(problem, instance));
        response.setStatus(problem.getStatus());
        // JSON is UTF-8 by definition: no charset parameter, like the gateway's other problems
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    private static Map<String, Object> members(ProblemDetail problem, String instance) {
        Map<String, Object> members = new LinkedHashMap<>();
        @Nullable URI type = problem.getType();
        if (type != null && !ABOUT_BLANK.equals(type.toString())) {
            members.put("type", type.toString());
        }
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        members.put("instance", instance);
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return members;
    }
}
