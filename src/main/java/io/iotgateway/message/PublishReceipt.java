package io.iotgateway.message;

import java.io.Serializable;
import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the gateway answers for a published message.
 *
 * @param messageId the gateway's id of this message, for logs and support
 * @param productKey the publishing device's product key
 * @param deviceName the publishing device's name
 * @param topic the MQTT topic the message was published to
 * @param qos 1: the platform acknowledged it; 0: written to the connection, not confirmed
 * @param payloadBytes size of the published payload
 * @param status {@code acknowledged} (QoS 1, PUBACK received) or {@code sent} (QoS 0)
 * @param publishedAt when the gateway finished publishing
 */
@Schema(description = "Receipt of a published message")
record PublishReceipt(String messageId, String productKey, String deviceName, String topic, int qos,
        int payloadBytes, @Schema(allowableValues = { "acknowledged", "sent" }) String status, Instant publishedAt) implements Serializable {
}
