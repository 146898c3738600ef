package io.iotgateway.mqtt;

import java.time.Instant;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one device's connection, for the devices API and health.
 *
 * @param device the device
 * @param state where the connection stands
 * @param lastProblem the kind of the last failure, as the HTTP answer named it
 * @param lastError the last connect or publish failure, client-facing wording
 * @param lastErrorAt when it happened
 * @param lastConnectedAt when the connection was last established
 * @param lastPublishedAt when a message was last published successfully
 * @param retryAt while in back-off, when the next connection attempt is allowed
 */
public record ConnectionStatus(DeviceId device, ConnectionState state, @Nullable ProblemType lastProblem,
        @Nullable String lastError,
        @Nullable Instant lastErrorAt, @Nullable Instant lastConnectedAt, @Nullable Instant lastPublishedAt,
        @Nullable Instant retryAt) {

    static ConnectionStatus idle(DeviceId device) {
        return new ConnectionStatus(device, ConnectionState.IDLE, null, null, null, null, null, null);
    }
}
