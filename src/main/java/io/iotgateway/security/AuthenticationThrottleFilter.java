package io.iotgateway.security;

import java.io.IOException;
import java.time.Duration;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemResponseWriter;
import io.iotgateway.web.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 429 authentication-throttled} with {@code Retry-After}, before its key is looked at, to every
 * request that carries a key from an address over its {@link AuthenticationFailureLimit}: the right key too, or a
 * 200 among the 429s would tell a guesser it was right. Requests without a key guess nothing and pass (the probes
 * keep answering).
 */
final class AuthenticationThrottleFilter extends OncePerRequestFilter {

    private final AuthenticationFailureLimit limit;

    private final ProblemResponseWriter problems;

    private final SecurityMetrics metrics;

    AuthenticationThrottleFilter(AuthenticationFailureLimit limit, ProblemResponseWriter problems,
            SecurityMetrics metrics) {
        this.limit = limit;
        this.problems = problems;
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (carriesKey(request)) {
            Duration wait = this.limit.refusedFor(request.getRemoteAddr());
            if (wait.isPositive()) {
                this.metrics.throttled();
                this.problems.write(request, response, new GatewayException(ProblemType.AUTHENTICATION_THROTTLED,
                        "Too many failed authentications from this address; requests with an API key are refused "
                                + "until the Retry-After seconds have passed.").retryAfter(wait));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean carriesKey(HttpServletRequest request) {
        return request.getHeader(ApiKeyAuthenticationConverter.API_KEY_HEADER) != null
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null;
    }
}
