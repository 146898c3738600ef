package io.iotgateway.web;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * The kinds of problem the gateway answers with. Each has a stable {@code type} URI that clients can switch on;
 * docs/api.md lists them with what to do about each.
 */
public enum ProblemType {

    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request"),
    INVALID_QOS(HttpStatus.BAD_REQUEST, "invalid-qos", "Unsupported QoS"),
    INVALID_TOPIC(HttpStatus.BAD_REQUEST, "invalid-topic", "Invalid topic"),
    INVALID_DEVICE(HttpStatus.BAD_REQUEST, "invalid-device", "Invalid product key or device name"),
    INVALID_IDENTIFIER(HttpStatus.BAD_REQUEST, "invalid-identifier", "Invalid thing-model identifier"),
    UNKNOWN_DEVICE(HttpStatus.NOT_FOUND, "unknown-device", "Unknown device"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
            "Idempotency key used for another request"),
    THING_DATA_REFUSED(HttpStatus.UNPROCESSABLE_CONTENT, "thing-data-refused",
            "IoT Platform refused the thing-model data"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large"),
    CREDENTIALS_REJECTED(HttpStatus.BAD_GATEWAY, "credentials-rejected", "Platform refused the device's credentials"),
    SUBSCRIPTION_REFUSED(HttpStatus.BAD_GATEWAY, "subscription-refused",
            "IoT Platform refused the reply subscription"),
    PLATFORM_ERROR(HttpStatus.BAD_GATEWAY, "platform-error", "IoT Platform answered with an error"),
    PLATFORM_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "platform-unavailable", "IoT Platform unreachable"),
    DEVICE_BUSY(HttpStatus.SERVICE_UNAVAILABLE, "device-busy", "Device connection busy"),
    CONNECT_LIMITED(HttpStatus.SERVICE_UNAVAILABLE, "connect-limited", "Device connect limit reached"),
    DEVICE_KICKED(HttpStatus.SERVICE_UNAVAILABLE, "device-kicked", "Device logged in elsewhere"),
    DEVICE_MOVING(HttpStatus.SERVICE_UNAVAILABLE, "device-moving", "Device moving between replicas"),
    OWNER_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "owner-unavailable", "Device's replica unreachable"),
    OWNER_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "owner-timeout", "Device's replica did not answer in time"),
    PLATFORM_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "platform-timeout", "IoT Platform did not answer in time"),
    REPLY_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "reply-timeout", "No thing-model reply in time"),
    INVALID_DEVICE_SECRET(HttpStatus.BAD_REQUEST, "invalid-device-secret", "Invalid device secret"),
    INVALID_IMPORT(HttpStatus.BAD_REQUEST, "invalid-import", "Unreadable import"),
    IMPORT_REJECTED(HttpStatus.UNPROCESSABLE_CONTENT, "import-rejected", "Import has invalid rows"),
    DEVICE_READ_ONLY(HttpStatus.CONFLICT, "device-read-only", "Device managed by configuration"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "unauthenticated", "API key required"),
    INVALID_API_KEY(HttpStatus.UNAUTHORIZED, "invalid-api-key", "Invalid API key"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Not allowed for this API key"),
    PRODUCT_FORBIDDEN(HttpStatus.FORBIDDEN, "product-forbidden", "Product outside the API key's scope"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Device message rate limit reached"),
    PLATFORM_THROTTLED(HttpStatus.TOO_MANY_REQUESTS, "platform-throttled", "IoT Platform throttled the device"),
    AUTHENTICATION_THROTTLED(HttpStatus.TOO_MANY_REQUESTS, "authentication-throttled",
            "Too many failed authentications"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Answer format not acceptable"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error");

    private static final String PREFIX = "urn:iot-gateway:problem:";

    private final HttpStatus status;

    private final URI type;

    private final String title;

    ProblemType(HttpStatus status, String slug, String title) {
        this.status = status;
        this.type = URI.create(PREFIX + slug);
        this.title = title;
    }

    public HttpStatus status() {
        return this.status;
    }

    public URI type() {
        return this.type;
    }

    public String title() {
        return this.title;
    }
}
