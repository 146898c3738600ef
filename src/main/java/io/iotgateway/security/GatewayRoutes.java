package io.iotgateway.security;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * The routes that security decisions depend on, declared once. Each is a {@link PathPatternRequestMatcher}, which
 * matches the decoded, normalised path the way Spring MVC maps a request to its handler: {@code /api/v1/%64evices}
 * is the device list here as it is for the controller. Never decide from {@code getRequestURI()}, which is the raw,
 * still encoded path: a second spelling of a route would slip past the decision and still reach the handler.
 */
final class GatewayRoutes {

    /** Publishing, and every other POST for a product: the publisher role and the product in scope. */
    static final String PRODUCT_WRITES = "/api/v1/devices/{productKey}/**";

    /** The publish endpoint itself. */
    static final RequestMatcher PUBLISH = pathPattern(HttpMethod.POST,
            "/api/v1/devices/{productKey}/{deviceName}/user/**");

    static final RequestMatcher API = pathPattern("/api/**");

    /** What needs the admin role: the admin API and the actuator (its public probes are matched before). */
    static final RequestMatcher ADMIN = new OrRequestMatcher(pathPattern("/api/v1/admin/**"),
            pathPattern("/actuator/**"));

    static final RequestMatcher DEVICE_LIST = read("/api/v1/devices");

    /** One device, read: {@code {productKey}} is the product the caller must have in scope. */
    static final RequestMatcher DEVICE = read("/api/v1/devices/{productKey}/**");

    private GatewayRoutes() {
    }

    /**
     * GET and HEAD: Spring MVC answers HEAD with the GET handler, so HEAD must pass the same rule, or its status
     * would tell what GET refuses to (200 or 404 where GET answers 403).
     */
    private static RequestMatcher read(String pattern) {
        return new OrRequestMatcher(pathPattern(HttpMethod.GET, pattern), pathPattern(HttpMethod.HEAD, pattern));
    }
}
