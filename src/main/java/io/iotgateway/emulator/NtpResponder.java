package io.iotgateway.emulator;

import java.time.Clock;
import java.util.Optional;

import io.iotgateway.credential.DeviceId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform's NTP service: a request {@code {"deviceSendTime":"1571724098000"}} on
 * {@code /ext/ntp/{pk}/{dn}/request} is answered on {@code /ext/ntp/{pk}/{dn}/response} with the device's time as
 * it came and the emulator's receive and send times, in milliseconds as strings like the platform's example.
 */
final class NtpResponder {

    /** @param topic where the response goes; @param payload its JSON */
    record Response(String topic, byte[] payload) {
    }

    private static final Logger logger = LoggerFactory.getLogger(NtpResponder.class);

    private static final JsonMapper json = JsonMapper.builder().build();

    private final Clock clock;

    NtpResponder(Clock clock) {
        this.clock = clock;
    }

    /** The response to the message, or empty when it is no NTP request or a malformed one (logged). */
    Optional<Response> answer(ReceivedMessage message) {
        DeviceId device = deviceOfRequest(message.topic());
        if (device == null) {
            return Optional.empty();
        }
        JsonNode deviceSendTime = parse(message.payload()).path("deviceSendTime");
        if (!deviceSendTime.isString() && !deviceSendTime.isIntegralNumber()) {
            logger.warn("Emulator does not answer the NTP request on '{}': it has no deviceSendTime in milliseconds",
                    LogText.escape(message.topic()));
            return Optional.empty();
        }
        ObjectNode response = json.createObjectNode();
        response.set("deviceSendTime", deviceSendTime);
        response.put("serverRecvTime", Long.toString(message.receivedAt().toEpochMilli()));
        response.put("serverSendTime", Long.toString(this.clock.millis()));
        return Optional.of(new Response(SystemTopics.ntpResponse(device), json.writeValueAsBytes(response)));
    }

    private static @Nullable DeviceId deviceOfRequest(String topic) {
        String[] levels = topic.split("/", -1);
        // "", ext, ntp, pk, dn, request
        if (levels.length != 6 || !"ext".equals(levels[1]) || !"ntp".equals(levels[2])
                || !"request".equals(levels[5]) || !DeviceId.isValidProductKey(levels[3])
                || !DeviceId.isValidDeviceName(levels[4])) {
            return null;
        }
        return new DeviceId(levels[3], levels[4]);
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return json.readTree(payload);
        }
        catch (JacksonException ex) {
            return json.missingNode();
        }
    }
}
