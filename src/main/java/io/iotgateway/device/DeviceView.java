package io.iotgateway.device;

import java.time.Instant;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.ConnectionState;
import io.iotgateway.mqtt.ConnectionStatus;
import org.jspecify.annotations.Nullable;

/**
 * A device as the API shows it: identity and connection, never the secret.
 *
 * @param productKey the device's product key
 * @param deviceName the device's name
 * @param topicPrefix where its messages go: this prefix plus the topic levels of the request
 * @param owner the replica that owns the device and holds its connection (in a cluster; a single gateway names
 * itself); {@code null} while the device moves between replicas
 * @param connection the state of its MQTT connection; in a cluster, {@code null} in a list answered by a replica
 * that does not own the device (ask for the device itself: its owner answers)
 */
public record DeviceView(String productKey, String deviceName, String topicPrefix, @Nullable String owner,
        @Nullable Connection connection) {

    /** A device this replica owns, with its connection's state. */
    public static DeviceView of(ConnectionStatus status, @Nullable String owner) {
        String problem = (status.lastProblem() != null) ? status.lastProblem().type().toString() : null;
        return new DeviceView(status.device().productKey(), status.device().deviceName(),
                topicPrefix(status.device()), owner,
                new Connection(status.state(), problem, status.lastError(), status.lastErrorAt(),
                        status.lastConnectedAt(), status.lastPublishedAt(), status.retryAt()));
    }

    /** A device another replica owns: this one cannot tell its connection's state. */
    public static DeviceView ownedElsewhere(DeviceId device, @Nullable String owner) {
        return new DeviceView(device.productKey(), device.deviceName(), topicPrefix(device), owner, null);
    }

    private static String topicPrefix(DeviceId device) {
        return "/" + device.productKey() + "/" + device.deviceName() + "/user/";
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
