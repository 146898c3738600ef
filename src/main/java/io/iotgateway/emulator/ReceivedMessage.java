package io.iotgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One PUBLISH the emulator accepted.
 *
 * @param topic the topic it was published to
 * @param payload a copy of the payload bytes
 * @param qos 0 or 1
 * @param clientId the full MQTT client id of the publisher
 * @param receivedAt when the emulator saw it
 */
public record ReceivedMessage(String topic, byte[] payload, int qos, String clientId, Instant receivedAt) {

    public ReceivedMessage {
        payload = payload.clone();
    }

    /** A copy of the payload bytes. */
    @Override
    public byte[] payload() {
        return this.payload.clone();
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(this.payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedMessage that && this.qos == that.qos && this.topic.equals(that.topic)
                && Arrays.equals(this.payload, that.payload) && this.clientId.equals(that.clientId)
                && this.receivedAt.equals(that.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.topic, Arrays.hashCode(this.payload), this.qos, this.clientId, this.receivedAt);
    }

    @Override
    public String toString() {
        return "ReceivedMessage[topic=" + this.topic + ", qos=" + this.qos + ", clientId=" + this.clientId + ", "
                + this.payload.length + " bytes, receivedAt=" + this.receivedAt + "]";
    }
}
