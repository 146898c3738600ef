package io.iotgateway.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses media type headers Spring MVC cannot handle gracefully, with a 400 problem:
 * <ul>
 * <li>a {@code Content-Type} that is not one concrete media type (e.g. {@code * / *}): Spring fails on it with an
 * {@code IllegalArgumentException} wherever a handler reads a body, a 500 anyone could provoke, for example on the
 * public health probe. The publish endpoints (custom topics and raw Alink on {@code /sys/} topics) are exempt: they
 * never parse the content type and publish whatever they are sent. The thing-model posts are not: they parse JSON,
 * and Spring MVC answers another concrete media type with 415;</li>
 * <li>an {@code Accept} that does not parse: no answer could be negotiated, and errors would go out without a
 * body.</li>
 * </ul>
 * An {@code Accept} that parses but excludes {@code application/json} is Spring MVC's to answer: the write endpoints
 * declare {@code produces}, so they are refused with 406 before they run. Whether a request is a publish is decided by
 * {@link GatewayRoutes}, on the decoded path as Spring MVC maps it.
 */
public final class MediaTypeHeaderFilter extends OncePerRequestFilter {

    private final ProblemResponseWriter problems;

    public MediaTypeHeaderFilter(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && !isPublish(request) && !isConcrete(contentType)) {
            this.problems.write(request, response, ProblemType.INVALID_REQUEST, "The Content-Type must name one "
                    + "media type, such as application/json; wildcards and malformed values are not accepted here.");
            return;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept != null && !parses(accept)) {
            this.problems.write(request, response, ProblemType.INVALID_REQUEST, "The Accept header is malformed; "
                    + "send e.g. Accept: application/json, or none.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isPublish(HttpServletRequest request) {
        return GatewayRoutes.PUBLISH.matches(request);
    }

    private static boolean isConcrete(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static boolean parses(String accept) {
        try {
            MediaType.parseMediaTypes(accept);
            return true;
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }
}
