package io.iotgateway.message;

import java.io.IOException;

import io.iotgateway.message.MessageService.PublishTarget;
import io.iotgateway.web.GatewayRoutes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accepts a message for a device and publishes it to the device's custom topic, or raw Alink to one of its own
 * thing-model system topics.
 * <p>
 * The body is read straight from the request stream, before anything could parse it: Tomcat would otherwise turn an
 * {@code application/x-www-form-urlencoded} body (curl's default) into form fields, and the bytes that reached the
 * platform would no longer be the bytes that were sent. For the same reason {@code qos} is read from the query
 * string itself, never through {@code getParameter} ({@link QueryParameter}, which refuses any other parameter).
 */
@RestController
class DeviceMessageController implements DeviceMessageApi {

    private final MessageService messages;

    private final DeviceRequests requests;

    private final ObjectWriter receipts;

    DeviceMessageController(MessageService messages, DeviceRequests requests, JsonMapper json) {
        this.messages = messages;
        this.requests = requests;
        this.receipts = json.writerFor(PublishReceipt.class);
    }

    @Override
    @PostMapping(path = GatewayRoutes.PUBLISH_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public void publish(@PathVariable String productKey, @PathVariable String deviceName,
            @PathVariable("topic") String topicPath, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        publish(this.messages.target(productKey, deviceName, levels(topicPath), qos(request)), request, response);
    }

    @Override
    @PostMapping(path = GatewayRoutes.SYS_PUBLISH_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public void publishSystem(@PathVariable String productKey, @PathVariable String deviceName,
            @PathVariable("topic") String topicPath, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        publish(this.messages.systemTarget(productKey, deviceName, levels(topicPath), qos(request)), request,
                response);
    }

    private void publish(PublishTarget target, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        byte[] payload = this.requests.readBody(request);
        DeviceRequests.Outcome<PublishReceipt> outcome = this.messages.publish(target, payload,
                request.getHeader(DeviceRequests.IDEMPOTENCY_KEY), DeviceRequests.caller(request));
        writeJson(outcome, response);
    }

    /** The one query parameter publishing takes: a misspelt {@code QOS=0} is a 400, not a QoS 1 publish. */
    private static @Nullable String qos(HttpServletRequest request) {
        return QueryParameter.single(request.getQueryString(), "qos", "publishing");
    }

    private static String levels(String topicPath) {
        return topicPath.startsWith("/") ? topicPath.substring(1) : topicPath;
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
    private void writeJson(DeviceRequests.Outcome<PublishReceipt> outcome, HttpServletResponse response) throws IOException {
        PublishReceipt receipt = outcome.answer();
        byte[] json = this.receipts.writeValueAsBytes(receipt);
        // 200: the platform acknowledged it (QoS 1); 202: written to the connection, not confirmed (QoS 0)
        response.setStatus((receipt.qos() == 1) ? HttpServletResponse.SC_OK : HttpServletResponse.SC_ACCEPTED);
        if (outcome.replayed()) {
            response.setHeader(DeviceRequests.IDEMPOTENT_REPLAYED, "true");
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
