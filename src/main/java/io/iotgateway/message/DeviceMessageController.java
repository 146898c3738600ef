package io.iotgateway.message;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;

import io.iotgateway.message.IdempotencyCache.Outcome;
import io.iotgateway.message.MessageService.PublishTarget;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.GatewayRoutes;
import io.iotgateway.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accepts a message for a device and publishes it to the device's custom topic.
 * <p>
 * The body is read straight from the request stream, before anything could parse it: Tomcat would otherwise turn an
 * {@code application/x-www-form-urlencoded} body (curl's default) into form fields, and the bytes that reached the
 * platform would no longer be the bytes that were sent. For the same reason {@code qos} is read from the query
 * string itself, never through {@code getParameter} ({@link PublishQuery}, which refuses any other parameter).
 */
@RestController
class DeviceMessageController implements DeviceMessageApi {

    /** Marks an answer repeated from the idempotency cache: nothing was published this time. */
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final MessageService messages;

    private final MessageProperties properties;

    private final ObjectWriter receipts;

    DeviceMessageController(MessageService messages, MessageProperties properties, JsonMapper json) {
        this.messages = messages;
        this.properties = properties;
        this.receipts = json.writerFor(PublishReceipt.class);
    }

    @Override
    @PostMapping(path = GatewayRoutes.PUBLISH_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public void publish(@PathVariable String productKey, @PathVariable String deviceName,
            @PathVariable("topic") String topicPath, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String topicLevels = topicPath.startsWith("/") ? topicPath.substring(1) : topicPath;
        PublishQuery query = PublishQuery.parse(request.getQueryString());
        PublishTarget target = this.messages.target(productKey, deviceName, topicLevels, query.qos());
        byte[] payload = readBody(request);
        Principal caller = request.getUserPrincipal();
        Outcome<PublishReceipt> outcome = this.messages.publish(target, payload, request.getHeader(IDEMPOTENCY_KEY),
                (caller != null) ? caller.getName() : "anonymous");
        writeJson(outcome, response);
    }

    /**
     * Writes the receipt as JSON, with its length, straight to the response: the same JSON Spring MVC would write
     * (the application's {@code JsonMapper}), without the return-value handling, content negotiation and message
     * converter it runs for every answer, and in one piece instead of chunked. The publish is the gateway's hot
     * path; its answer took 18.9 % of the gateway's CPU samples that way and takes 10.4 % now
     * (docs/performance.md). Clients that do not accept JSON were refused before anything was published (the
     * mapping's {@code produces}); errors are thrown before anything is written and answered as problems by the
     * exception handler.
     */
    private void writeJson(Outcome<PublishReceipt> outcome, HttpServletResponse response) throws IOException {
        PublishReceipt receipt = outcome.answer();
        byte[] json = this.receipts.writeValueAsBytes(receipt);
        // 200: the platform acknowledged it (QoS 1); 202: written to the connection, not confirmed (QoS 0)
        response.setStatus((receipt.qos() == 1) ? HttpServletResponse.SC_OK : HttpServletResponse.SC_ACCEPTED);
        if (outcome.replayed()) {
            response.setHeader(IDEMPOTENT_REPLAYED, "true");
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        long max = this.properties.maxPayload().toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(declared + " bytes", max);
        }
        try (InputStream body = request.getInputStream()) {
            if (declared >= 0) {
                // the usual case: exactly the declared length (Tomcat ends the stream there), no growing buffers
                return body.readNBytes((int) declared);
            }
            // chunked: reads at most one byte past the limit, so an unbounded body costs no more than the limit
            byte[] payload = body.readNBytes((int) max + 1);
            if (payload.length > max) {
                throw tooLarge("more than " + max + " bytes", max);
            }
            return payload;
        }
    }

    private static GatewayException tooLarge(String size, long max) {
        return new GatewayException(ProblemType.PAYLOAD_TOO_LARGE, "The payload is " + size + "; the limit is " + max
                + " bytes (the IoT Platform refuses MQTT messages over 256 KB).");
    }
}
