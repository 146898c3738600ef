package io.iotgateway.message;

import io.iotgateway.web.GatewayException;
import org.jspecify.annotations.Nullable;

/**
 * The publish endpoint's query string, read from the raw query and never through {@code getParameter} (which would
 * parse a form body). It takes one parameter, {@code qos}, at most once; any other name is refused with 400, so
 * that a misspelling ({@code QOS=0}, {@code qos0}) is not silently published at QoS 1 ({@link QueryParameter}).
 *
 * @param qos the {@code qos} value as given (checked by the service), or {@code null} when absent
 */
record PublishQuery(@Nullable String qos) {

    static final String QOS = "qos";

    /** @throws GatewayException 400 for an unknown parameter, {@code qos} given more than once or a broken escape */
    static PublishQuery parse(@Nullable String query) {
        return new PublishQuery(QueryParameter.single(query, QOS, "publishing"));
    }
}
