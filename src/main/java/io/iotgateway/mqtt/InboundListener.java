package io.iotgateway.mqtt;

/**
 * Told of each message that arrives for a device on a topic filter it was subscribed to with
 * {@link DeviceSubscriber}. Called on the MQTT client's callback thread, one message after another: it must return
 * at once (complete a future, hand the message on), never wait, and never throw (an exception is logged and the
 * message dropped).
 */
@FunctionalInterface
public interface InboundListener {

    void messageArrived(String topic, byte[] payload);

    /**
     * Whether the listener waits for a message now (a reply to a request already published): the device's connection
     * is then in use and is not closed as idle or evicted, which would lose the message.
     */
    default boolean awaitsMessages() {
        return false;
    }
}
