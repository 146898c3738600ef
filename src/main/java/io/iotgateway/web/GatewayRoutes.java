package io.iotgateway.web;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * The gateway's routes, declared once: the paths the controllers map ({@code *_PATH}) and the request matchers
 * that the security rules and the input filters decide by. Each matcher is a {@link PathPatternRequestMatcher},
 * which matches the decoded, normalised path the way Spring MVC maps a request to its handler:
 * {@code /api/v1/%64evices} is the device list here as it is for the controller. Never decide from
 * {@code getRequestURI()}, which is the raw, still encoded path: a second spelling of a route would slip past the
 * decision and still reach the handler.
 */
public final class GatewayRoutes {

    /** The devices a caller may see. */
    public static final String DEVICE_LIST_PATH = "/api/v1/devices";

    /** One device. */
    public static final String DEVICE_PATH = DEVICE_LIST_PATH + "/{productKey}/{deviceName}";

    /** Publishing as a device: {@code topic} is everything after {@code /user/}. */
    public static final String PUBLISH_PATH = DEVICE_PATH + "/user/{*topic}";

    /** Publishing raw Alink as a device: {@code topic} is everything after {@code /sys/{pk}/{dn}/}. */
    public static final String SYS_PUBLISH_PATH = DEVICE_PATH + "/sys/{*topic}";

    /** A thing-model property post: a JSON object of property identifiers to values. */
    public static final String THING_PROPERTIES_PATH = DEVICE_PATH + "/properties";

    /** A thing-model event post: the event's output parameters. */
    public static final String THING_EVENT_PATH = DEVICE_PATH + "/events/{identifier}";

    /** The admin API: the device registry and its master keys. */
    public static final String ADMIN_PATH = "/api/v1/admin";

    /** The publish endpoints themselves (custom and system topics): their body is published as sent, never parsed. */
    public static final RequestMatcher PUBLISH = new OrRequestMatcher(pathPattern(HttpMethod.POST, PUBLISH_PATH),
            pathPattern(HttpMethod.POST, SYS_PUBLISH_PATH));

    /** Publishing, and every other POST for a product: the publisher role and the product in scope. */
    public static final RequestMatcher PRODUCT_WRITES = pathPattern(HttpMethod.POST,
            DEVICE_LIST_PATH + "/{productKey}/**");

    /** What needs the admin role: the admin API and the actuator (its public probes are matched before). */
    public static final RequestMatcher ADMIN = new OrRequestMatcher(pathPattern(ADMIN_PATH + "/**"),
            pathPattern("/actuator/**"));

    public static final RequestMatcher DEVICE_LIST = read(DEVICE_LIST_PATH);

    /**
     * Every request about one device, whatever the method: in a cluster the device's owner answers them (its
     * {@code productKey} and {@code deviceName} are the match's variables).
     */
    public static final PathPatternRequestMatcher ONE_DEVICE = pathPattern(DEVICE_PATH + "/**");

    /** One device, read: {@code {productKey}} is the product the caller must have in scope. */
    public static final RequestMatcher DEVICE = read(DEVICE_LIST_PATH + "/{productKey}/**");

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
