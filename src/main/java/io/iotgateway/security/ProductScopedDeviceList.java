package io.iotgateway.security;

import java.util.Collection;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * {@code GET /api/v1/devices} shows a publisher only the devices of its products. The list is filtered on its way
 * out, by each entry's {@code productKey}; an entry without one is dropped (fail closed). Admins and clients with
 * all products see everything.
 */
@ControllerAdvice
final class ProductScopedDeviceList implements ResponseBodyAdvice<Object> {

    static final String DEVICE_LIST = "/api/v1/devices";

    private final JsonMapper json;

    ProductScopedDeviceList(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
            MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
            ServerHttpRequest request, ServerHttpResponse response) {
        // only the list itself: a problem answered for the same path passes untouched
        if (!(body instanceof Collection<?>) || !isDeviceList(request)) {
            return body;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof ApiClientAuthentication caller)) {
            return body;
        }
        ApiClient client = caller.client();
        if (client.hasRole(ApiRole.ADMIN) || client.products().contains(ApiClient.ALL_PRODUCTS)) {
            return body;
        }
        JsonNode devices = this.json.valueToTree(body);
        ArrayNode visible = this.json.createArrayNode();
        for (JsonNode device : devices) {
            JsonNode productKey = device.get("productKey");
            if (productKey != null && productKey.isString() && client.maySee(productKey.asString())) {
                visible.add(device);
            }
        }
        return visible;
    }

    private static boolean isDeviceList(ServerHttpRequest request) {
        if (!(request instanceof ServletServerHttpRequest servlet)) {
            return false;
        }
        HttpServletRequest http = servlet.getServletRequest();
        return "GET".equals(http.getMethod()) && DEVICE_LIST.equals(http.getRequestURI());
    }
}
