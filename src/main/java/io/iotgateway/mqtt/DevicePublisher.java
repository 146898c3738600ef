package io.iotgateway.mqtt;

import java.util.List;

import io.iotgateway.credential.DeviceId;

/**
 * Publishes messages as devices. Every failure is a {@link io.iotgateway.web.GatewayException} that says how the
 * caller should react (502 bad credentials, 503 unreachable with Retry-After, 504 no acknowledgement in time).
 */
public interface DevicePublisher {

    /**
     * Publishes one message as the device, opening its connection first if needed. Returns once the platform
     * acknowledged it (QoS 1) or once it was written to the connection (QoS 0).
     * @param device a device the credential service knows
     * @param topic the full MQTT topic
     * @param payload the bytes to publish, unchanged
     * @param qos 0 or 1
     */
    void publish(DeviceId device, String topic, byte[] payload, int qos);

    /** The device's connection status; {@link ConnectionState#IDLE} when it has none. */
    ConnectionStatus status(DeviceId device);

    /** The status of every device that has a connection (open or failed). */
    List<ConnectionStatus> statuses();

    /** Closes and forgets the device's connection, if any. */
    void close(DeviceId device);
}
