package io.iotgateway.device;

import java.time.Instant;

import io.iotgateway.mqtt.ConnectionState;
import io.iotgateway.mqtt.ConnectionStatus;
import org.jspecify.annotations.Nullable;

/**
 * A device as the API shows it: identity and connection, never the secret.
 *
 * @param productKey the device's product key
 * @param deviceName the device's name
 * @param topicPrefix where its messages go: this prefix plus the topic levels of the request
 * @param connection the state of its MQTT connection
 */
public record DeviceView(String productKey, String deviceName, String topicPrefix, Connection connection) {

    public static DeviceView of(ConnectionStatus status) {
        String problem = (status.lastProblem() != null) ? status.lastProblem().type().toString() : null;
        return new DeviceView(status.device().productKey(), status.device().deviceName(),
                "/" + status.device().productKey() + "/" + status.device().deviceName() + "/user/",
                new Connection(status.state(), problem, status.lastError(), status.lastErrorAt(),
                        status.lastConnectedAt(), status.lastPublishedAt(), status.retryAt()));
    }

    /**
     * A device's MQTT connection.
     *
     * @param state IDLE, CONNECTING, CONNECTED, DISCONNECTED or FAILED
     * @param lastProblem problem type of the last failure
     * @param lastError the last failure, as answered to the caller
     * @param lastErrorAt when it happened
     * @param lastConnectedAt when the connection was last established
     * @param lastPublishedAt when a message was last published
     * @param retryAt after a failed connect: when the next attempt is allowed
     */
    public record Connection(ConnectionState state, @Nullable String lastProblem, @Nullable String lastError,
            @Nullable Instant lastErrorAt, @Nullable Instant lastConnectedAt, @Nullable Instant lastPublishedAt,
            @Nullable Instant retryAt) {
    }
}
