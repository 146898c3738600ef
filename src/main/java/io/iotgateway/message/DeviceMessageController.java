package io.iotgateway.message;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;

import io.iotgateway.message.MessageService.PublishTarget;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.GatewayRoutes;
import io.iotgateway.web.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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
@Tag(name = "Messages", description = "Publish messages as devices")
class DeviceMessageController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final MessageService messages;

    private final MessageProperties properties;

    private final ObjectWriter receipts;

    DeviceMessageController(MessageService messages, MessageProperties properties, JsonMapper json) {
        this.messages = messages;
        this.properties = properties;
        this.receipts = json.writerFor(PublishReceipt.class);
    }

    @PostMapping(path = GatewayRoutes.PUBLISH_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Publish a message as the device",
            description = """
                    Publishes the request body, byte for byte, to the MQTT topic \
                    `/{productKey}/{deviceName}/user/{topic}` as the device, over the device's own signed \
                    connection to the IoT Platform. Any content type is accepted and the body is never parsed. \
                    `200` means the platform acknowledged the message (QoS 1, PUBACK); `202` means it was written to \
                    the connection but not confirmed (QoS 0). Any other answer means the message was not published.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The payload, "
                    + "published unchanged (at most 256 KB by default)", content = {
                            @Content(mediaType = "application/octet-stream",
                                    schema = @Schema(type = "string", format = "binary")),
                            @Content(mediaType = "text/plain", schema = @Schema(type = "string"),
                                    examples = @ExampleObject(value = "{id:\"0001\",data:\"hello world\"}")),
                            @Content(mediaType = "application/json", schema = @Schema(type = "string"),
                                    examples = @ExampleObject(value = "{\"id\":\"0001\",\"data\":\"hello world\"}")) }),
            parameters = {
                    @Parameter(name = "productKey", in = ParameterIn.PATH, example = "a61QmwQD5ZF",
                            description = "The device's product key"),
                    @Parameter(name = "deviceName", in = ParameterIn.PATH, example = "mosheep",
                            description = "The device's name"),
                    @Parameter(name = "topic", in = ParameterIn.PATH, example = "sheep",
                            description = "The topic levels after `/user/`: letters, digits and `_`; several levels "
                                    + "are separated by `/` (the explorer can send one level only)"),
                    @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER, description = "Makes retries safe: "
                            + "a request repeated with the same key (per caller and device) within 10 minutes gets "
                            + "the first answer, marked `Idempotent-Replayed: true`, and publishes nothing. Only "
                            + "successes are remembered. 1-255 visible ASCII characters, e.g. a UUID.",
                            schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(name = "qos", in = ParameterIn.QUERY, description = "MQTT QoS: 1 waits for the "
                            + "platform's acknowledgement, 0 does not. The platform does not support 2.",
                            schema = @Schema(type = "integer", allowableValues = { "0", "1" },
                                    defaultValue = "1")) })
    @ApiResponse(responseCode = "200", description = "Published and acknowledged by the platform (QoS 1)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PublishReceipt.class)))
    @ApiResponse(responseCode = "202", description = "Published, not confirmed (QoS 0)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PublishReceipt.class)))
    @ApiResponse(responseCode = "400", description = "Bad QoS, topic, product key or device name, or a query "
            + "parameter other than qos",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "The gateway does not know the device",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "Payload larger than the limit (256 KB by default)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "502", description = "The platform refused the device's credentials (CONNACK 4 "
            + "or 5); retried after a back-off, see Retry-After",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "The platform is unreachable or the device's connection is "
            + "busy or at its connect limit; retry after the Retry-After seconds",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "504", description = "The platform did not answer (CONNACK or PUBACK) in time; a "
            + "QoS 1 message may still have been delivered",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    void publish(@PathVariable String productKey, @PathVariable String deviceName,
            @PathVariable("topic") String topicPath, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String topicLevels = topicPath.startsWith("/") ? topicPath.substring(1) : topicPath;
        PublishQuery query = PublishQuery.parse(request.getQueryString());
        PublishTarget target = this.messages.target(productKey, deviceName, topicLevels, query.qos());
        byte[] payload = readBody(request);
        Principal caller = request.getUserPrincipal();
        ResponseEntity<PublishReceipt> answer = this.messages.publish(target, payload,
                request.getHeader(IDEMPOTENCY_KEY), (caller != null) ? caller.getName() : "anonymous");
        writeJson(answer, response);
    }

    /**
     * Writes the receipt as JSON, with its length, straight to the response: the same JSON Spring MVC would write
     * (the application's {@code JsonMapper}), without the return-value handling, content negotiation and message
     * converter it runs for every answer, and in one piece instead of chunked. The publish is the gateway's hot
     * path; those cost about a tenth of a publish's CPU (docs/performance.md). Clients that do not accept JSON were
     * refused before anything was published (the mapping's {@code produces}); errors are thrown before anything is written
     * and answered as problems by the exception handler.
     */
    private void writeJson(ResponseEntity<PublishReceipt> answer, HttpServletResponse response) throws IOException {
        byte[] json = this.receipts.writeValueAsBytes(answer.getBody());
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
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
