package io.iotgateway.web;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query string with a broken percent-encoding ({@code %} not followed by two hex digits) with a 400
 * problem. Tomcat passes the raw query through, and decoding it later would fail as a 500; the firewall checks only
 * the path.
 */
public final class QueryEncodingFilter extends OncePerRequestFilter {

    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final ProblemResponseWriter problems;

    public QueryEncodingFilter(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && BROKEN_ESCAPE.matcher(query).find()) {
            this.problems.write(request, response, ProblemType.INVALID_REQUEST, "The query string has a '%' that "
                    + "is not followed by two hex digits; encode '%' itself as %25.");
            return;
        }
        chain.doFilter(request, response);
    }
}
