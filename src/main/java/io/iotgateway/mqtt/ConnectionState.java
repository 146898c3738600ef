package io.iotgateway.mqtt;

/**
 * Where a device's MQTT connection stands.
 */
public enum ConnectionState {

    /** No connection opened yet; the first message opens it. */
    IDLE,

    /** A CONNECT is under way. */
    CONNECTING,

    /** Connected and publishing. */
    CONNECTED,

    /** Was connected, the connection dropped; the next message reconnects. */
    DISCONNECTED,

    /** The last connection attempt failed; the device is in back-off until {@code retryAt}. */
    FAILED
}
