package io.iotgateway.security;

import java.io.IOException;

import io.iotgateway.web.ProblemResponseWriter;
import io.iotgateway.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers 401 as a problem with a {@code WWW-Authenticate} challenge: {@code unauthenticated} when the request had
 * no key, {@code invalid-api-key} when its key matched no client. Counts both; logs neither key nor header.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private static final Log log = LogFactory.getLog(ProblemAuthenticationEntryPoint.class);

    private final ProblemResponseWriter problems;

    private final SecurityMetrics metrics;

    ProblemAuthenticationEntryPoint(ProblemResponseWriter problems, SecurityMetrics metrics) {
        this.problems = problems;
        this.metrics = metrics;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException failure) throws IOException {
        boolean badKey = failure instanceof BadCredentialsException;
        if (badKey) {
            this.metrics.invalidKey();
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"iot-gateway\", error=\"invalid_token\"");
        }
        else {
            this.metrics.missingKey();
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"iot-gateway\"");
        }
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "ApiKey realm=\"iot-gateway\", header=\"X-API-Key\"");
        if (log.isDebugEnabled()) {
            log.debug("401 for " + request.getMethod() + " " + request.getRequestURI() + " from "
                    + request.getRemoteAddr() + ": " + (badKey ? "invalid key" : "no key"));
        }
        if (badKey) {
            this.problems.write(request, response, ProblemType.INVALID_API_KEY, failure.getMessage()
                    + " Send the key of a configured client as X-API-Key: <key> or Authorization: Bearer <key>.");
        }
        else {
            this.problems.write(request, response, ProblemType.UNAUTHENTICATED, "This endpoint needs an API key: "
                    + "send it as X-API-Key: <key> or Authorization: Bearer <key>.");
        }
    }
}
