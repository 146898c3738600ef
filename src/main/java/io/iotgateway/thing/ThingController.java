package io.iotgateway.thing;

import java.io.IOException;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.message.DeviceRequests;
import io.iotgateway.message.QueryParameter;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.GatewayRoutes;
import io.iotgateway.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The thing-model posts. Checks run in the publish endpoint's order, each before anything is published: the query
 * ({@code ack}, read from the raw query string), the device (400, then 404), the body (413, then 400 for JSON that
 * is not an object of identifiers), then the idempotency key, the device's rate (429) and the post itself.
 */
@RestController
class ThingController implements ThingApi {

    static final String ACK = "ack";

    private final ThingService things;

    private final DeviceRequests requests;

    ThingController(ThingService things, DeviceRequests requests) {
        this.things = things;
        this.requests = requests;
    }

    @Override
    @PostMapping(path = GatewayRoutes.THING_PROPERTIES_PATH, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ThingReceipt> postProperties(@PathVariable String productKey,
            @PathVariable String deviceName, HttpServletRequest request) throws IOException {
        boolean ack = ack(request.getQueryString());
        DeviceId device = this.things.knownDevice(productKey, deviceName, null);
        byte[] body = this.requests.readBody(request);
        return post(device, this.things.properties(device, body), ack, body, request);
    }

    @Override
    @PostMapping(path = GatewayRoutes.THING_EVENT_PATH, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ThingReceipt> postEvent(@PathVariable String productKey, @PathVariable String deviceName,
            @PathVariable String identifier, HttpServletRequest request) throws IOException {
        boolean ack = ack(request.getQueryString());
        DeviceId device = this.things.knownDevice(productKey, deviceName, identifier);
        byte[] body = this.requests.readBody(request);
        return post(device, this.things.event(device, identifier, body), ack, body, request);
    }

    private ResponseEntity<ThingReceipt> post(DeviceId device, AlinkRequest alink, boolean ack, byte[] body,
            HttpServletRequest request) {
        DeviceRequests.Outcome<ThingReceipt> outcome = this.things.post(device, alink, ack, body,
                request.getHeader(DeviceRequests.IDEMPOTENCY_KEY), DeviceRequests.caller(request));
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (outcome.replayed()) {
            answer.header(DeviceRequests.IDEMPOTENT_REPLAYED, "true");
        }
        return answer.body(outcome.answer());
    }

    /** {@code ack=1} (the default) waits for the platform's reply; {@code ack=0} asks for none. */
    static boolean ack(@Nullable String query) {
        String ack = QueryParameter.single(query, ACK, "posting to the thing model");
        if (ack == null || ack.equals("1")) {
            return true;
        }
        if (ack.equals("0")) {
            return false;
        }
        throw new GatewayException(ProblemType.INVALID_REQUEST, "ack must be 1 (wait for the platform's reply, the "
                + "default) or 0 (ask for no reply).");
    }
}
