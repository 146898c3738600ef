package io.iotgateway.web;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses media type headers Spring MVC cannot handle gracefully, with a 400 problem:
 * <ul>
 * <li>a {@code Content-Type} that is not one concrete media type (e.g. {@code * / *}): Spring fails on it with an
 * {@code IllegalArgumentException} wherever a handler reads a body, a 500 anyone could provoke, for example on the
 * public health probe. The publish endpoint is exempt: it never parses the content type and publishes whatever it
 * is sent;</li>
 * <li>an {@code Accept} that does not parse: no answer could be negotiated, and errors would go out without a
 * body;</li>
 * <li>with 406, an API call that changes something (publish, admin writes) but does not accept JSON: it would be
 * carried out and then answered 406, and a caller that retries would publish twice.</li>
 * </ul>
 * Which route a request is for is decided by {@link GatewayRoutes}, on the decoded path as Spring MVC maps it.
 */
public final class MediaTypeHeaderFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

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
        List<MediaType> acceptable = (accept != null) ? parse(accept) : List.of(MediaType.ALL);
        if (acceptable == null) {
            this.problems.write(request, response, ProblemType.INVALID_REQUEST, "The Accept header is malformed; "
                    + "send e.g. Accept: application/json, or none.");
            return;
        }
        if (isApiWrite(request) && acceptable.stream().noneMatch(MediaTypeHeaderFilter::allowsJson)) {
            this.problems.write(request, response, ProblemType.NOT_ACCEPTABLE, "The gateway answers in JSON; this "
                    + "request was not carried out because its Accept header excludes JSON. Accept application/json "
                    + "(or */*).");
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

    private static boolean isApiWrite(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod()) && GatewayRoutes.API.matches(request);
    }

    private static boolean allowsJson(MediaType type) {
        return type.getQualityValue() > 0 && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
                || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON) || "json".equals(type.getSubtypeSuffix()));
    }

    private static @Nullable List<MediaType> parse(String accept) {
        try {
            return MediaType.parseMediaTypes(accept);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }
}
