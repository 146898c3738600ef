package io.iotgateway.message;

import java.io.IOException;

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

import org.springframework.http.ProblemDetail;

/**
 * The publish endpoint as the OpenAPI description shows it: what each answer means, the parameters and examples
 * for the explorer. springdoc reads these annotations from the interface; {@link DeviceMessageController}
 * implements it and maps the route.
 */
@Tag(name = "Messages", description = "Publish messages as devices")
interface DeviceMessageApi {

    String IDEMPOTENCY_KEY = DeviceRequests.IDEMPOTENCY_KEY;

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
    void publish(String productKey, String deviceName, String topicPath, HttpServletRequest request,
            HttpServletResponse response) throws IOException;

    @Operation(summary = "Publish raw Alink to one of the device's thing-model system topics",
            description = """
                    Publishes the request body, byte for byte, to `/sys/{productKey}/{deviceName}/thing/...` as the                     device, like a custom-topic publish: the gateway neither checks the Alink JSON nor waits for the                     platform's reply on the `_reply` topic (use `POST .../properties` or `POST .../events/{identifier}`                     for that). Topic levels of letters, digits and `_`, at most 128 bytes. Answers as for custom                     topics.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The Alink request, "
                    + "published unchanged", content = @Content(mediaType = "application/json",
                            schema = @Schema(type = "string"), examples = @ExampleObject(value = """
                                    {"id":"123","version":"1.0","sys":{"ack":0},"params":{"temperature":{"value":23.6,                                    "time":1524448722000}},"method":"thing.event.property.post"}"""))),
            parameters = {
                    @Parameter(name = "productKey", in = ParameterIn.PATH, example = "a61QmwQD5ZF",
                            description = "The device's product key"),
                    @Parameter(name = "deviceName", in = ParameterIn.PATH, example = "mosheep",
                            description = "The device's name"),
                    @Parameter(name = "topic", in = ParameterIn.PATH, example = "thing/event/property/post",
                            description = "The topic after `/sys/{productKey}/{deviceName}/`, starting with `thing/`"),
                    @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER, description = "As for custom topics",
                            schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(name = "qos", in = ParameterIn.QUERY, description = "MQTT QoS, 0 or 1",
                            schema = @Schema(type = "integer", allowableValues = { "0", "1" },
                                    defaultValue = "1")) })
    @ApiResponse(responseCode = "200", description = "Published and acknowledged by the platform (QoS 1)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PublishReceipt.class)))
    @ApiResponse(responseCode = "202", description = "Published, not confirmed (QoS 0)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PublishReceipt.class)))
    @ApiResponse(responseCode = "400", description = "Not a `thing/` topic, a bad level or QoS",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    void publishSystem(String productKey, String deviceName, String topicPath, HttpServletRequest request,
            HttpServletResponse response) throws IOException;
}
