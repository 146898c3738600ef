package io.iotgateway.thing;

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

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The thing-model posts as the OpenAPI description shows them; {@link ThingController} implements it. The examples
 * follow Alibaba's Alink documentation, with the demo product's model (temperature, humidity, power, mode, label;
 * events overheat and lowBattery).
 */
@Tag(name = "Thing model", description = "Post properties and events as devices, answered with the platform's reply")
interface ThingApi {

    String PROBLEM = "application/problem+json";

    @Operation(summary = "Post properties as the device and get the platform's verdict", description = """
            Builds the Alink request `{"id", "version": "1.0", "params": <body>, "method": \
            "thing.event.property.post", "sys": {"ack": 1}}`, publishes it at QoS 1 on \
            `/sys/{productKey}/{deviceName}/thing/event/property/post` over the device's own connection and waits \
            for the platform's reply on `.../post_reply` (`gateway.thing.reply-timeout`, 5 s). Values go as \
            written: `21.0` stays `21.0` (float and double properties need the decimal point). `200` means the \
            platform accepted the data against the thing model; `422` that it refused it; `504` that the message \
            was acknowledged but no verdict came.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "Property identifiers "
                    + "to values, plain or as {value, time} (time in ms since the epoch)", content = @Content(
                            mediaType = "application/json", schema = @Schema(type = "object"), examples = {
                                    @ExampleObject(name = "plain", value = """
                                            {"temperature": 21.5, "humidity": 40, "power": 1, "mode": 2}"""),
                                    @ExampleObject(name = "with time", value = """
                                            {"temperature": {"value": 21.0, "time": 1524448722000}, \
                                            "label": {"value": "barn 3", "time": 1524448722000}}""") })),
            parameters = { @Parameter(name = "productKey", in = ParameterIn.PATH, example = "a61QmwQD5ZF"),
                    @Parameter(name = "deviceName", in = ParameterIn.PATH, example = "mosheep"),
                    @Parameter(name = "ack", in = ParameterIn.QUERY, description = "1 (default): wait for the "
                            + "platform's reply; 0: ask for none and answer after the PUBACK",
                            schema = @Schema(type = "integer", allowableValues = { "0", "1" }, defaultValue = "1")),
                    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "As for publishing: "
                            + "a retry with the same key within 10 minutes gets the first success and posts nothing",
                            schema = @Schema(type = "string", maxLength = 255)) })
    @ApiResponse(responseCode = "200", description = "The platform replied 200 (or, with ack=0, acknowledged)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ThingReceipt.class),
                    examples = @ExampleObject(value = """
                            {"alinkId":"1789560000","code":200,"data":{},"messageId":"6b4c84c1-cc00-4c98-a098-90db7e849157",\
                            "productKey":"a61QmwQD5ZF","deviceName":"mosheep",\
                            "topic":"/sys/a61QmwQD5ZF/mosheep/thing/event/property/post","qos":1,"payloadBytes":151,\
                            "status":"replied","publishedAt":"2026-11-26T10:04:50.558Z"}""")))
    @ApiResponse(responseCode = "400", description = "Malformed device, identifier, query or JSON; not an object, or an "
            + "empty one", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "The gateway does not know the device",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "Body larger than the limit",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "415", description = "The body is not application/json",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The platform refused the data (code 460 or 6xxx; "
            + "`platformCode`, `platformMessage`), or the Idempotency-Key was used for another request",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = """
                            {"type":"urn:iot-gateway:problem:thing-data-refused","title":"IoT Platform refused the \
                            thing-model data","status":422,"detail":"The IoT Platform answered the device's Alink \
                            request 1789560000 with code 460 (request parameter error): it refused the data ...",\
                            "device":"a61QmwQD5ZF/mosheep","alinkId":"1789560000","platformCode":460,\
                            "platformMessage":"request parameter error"}""")))
    @ApiResponse(responseCode = "429", description = "The device's rate (nothing posted), or the platform replied 429",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "502", description = "The platform replied with another error code, refused the "
            + "device's login or its reply subscription",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "Platform unreachable or the device busy; nothing was posted",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "504", description = "No PUBACK, or no reply in time after the PUBACK: the data may or "
            + "may not have been accepted",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<ThingReceipt> postProperties(String productKey, String deviceName, HttpServletRequest request)
            throws IOException;

    @Operation(summary = "Post an event as the device and get the platform's verdict", description = """
            Builds `{"id", "version": "1.0", "params": {"value": <body>, "time": <now, ms>}, "method": \
            "thing.event.{identifier}.post", "sys": {"ack": 1}}`, publishes it at QoS 1 on \
            `/sys/{productKey}/{deviceName}/thing/event/{identifier}/post` and answers like the property post. \
            An event without output parameters takes `{}`.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The event's output "
                    + "parameters", content = @Content(mediaType = "application/json",
                            schema = @Schema(type = "object"), examples = {
                                    @ExampleObject(name = "overheat", value = "{\"temperature\": 95.0}"),
                                    @ExampleObject(name = "lowBattery", value = "{\"level\": 7}") })),
            parameters = { @Parameter(name = "productKey", in = ParameterIn.PATH, example = "a61QmwQD5ZF"),
                    @Parameter(name = "deviceName", in = ParameterIn.PATH, example = "mosheep"),
                    @Parameter(name = "identifier", in = ParameterIn.PATH, example = "overheat",
                            description = "The event's identifier: 1 to 50 letters, digits and _"),
                    @Parameter(name = "ack", in = ParameterIn.QUERY, description = "As for properties",
                            schema = @Schema(type = "integer", allowableValues = { "0", "1" }, defaultValue = "1")),
                    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "As for properties",
                            schema = @Schema(type = "string", maxLength = 255)) })
    @ApiResponse(responseCode = "200", description = "The platform replied 200 (or, with ack=0, acknowledged)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ThingReceipt.class)))
    @ApiResponse(responseCode = "400", description = "As for properties; also a malformed event identifier",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The platform refused the event (460 or 6xxx)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "504", description = "No verdict in time; the event may or may not have been accepted",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<ThingReceipt> postEvent(String productKey, String deviceName, String identifier,
            HttpServletRequest request) throws IOException;
}
