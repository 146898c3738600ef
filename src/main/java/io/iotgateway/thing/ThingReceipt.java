package io.iotgateway.thing;

import java.io.Serializable;
import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the gateway answers for a thing-model post: the platform's verdict and the receipt of the published message.
 *
 * @param alinkId the Alink request id the gateway gave the post (the platform's reply carries it too)
 * @param code the platform's reply code, 200; {@code null} with {@code ack=0}, which asks for no reply
 * @param data the reply's {@code data}; {@code null} with {@code ack=0}
 * @param messageId the gateway's id of this message, for logs and support
 * @param productKey the posting device's product key
 * @param deviceName the posting device's name
 * @param topic the MQTT topic the request was published to
 * @param qos always 1
 * @param payloadBytes size of the published Alink request
 * @param status {@code replied}: the platform accepted the data (code 200); {@code acknowledged}: {@code ack=0},
 * the platform acknowledged the message (PUBACK) and sends no verdict
 * @param publishedAt when the gateway finished publishing
 */
@Schema(description = "The platform's reply to a thing-model post, and its receipt")
record ThingReceipt(@Schema(example = "1789560000") String alinkId, @Schema(example = "200") @Nullable Integer code,
        @Schema(example = "{}") @Nullable JsonNode data, String messageId, String productKey, String deviceName,
        String topic, int qos, int payloadBytes, @Schema(allowableValues = { "replied", "acknowledged" }) String status,
        Instant publishedAt) implements Serializable {
}
