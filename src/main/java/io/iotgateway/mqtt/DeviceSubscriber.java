package io.iotgateway.mqtt;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.iotgateway.credential.DeviceId;

/**
 * Subscribes a device's own connection (the login that publishes as it) to topics the platform sends it, such as
 * the replies to its thing-model requests. A subscription is made once and then belongs to the device: it is
 * restored on every later login before that login publishes anything, also when the connection is replaced (idle,
 * evicted, a changed secret), and ends when the device is removed or the gateway stops. While a listener awaits a
 * message, the device's connection is not closed as idle. Every failure is a {@link io.iotgateway.web.GatewayException}
 * like those of {@link DevicePublisher}.
 */
public interface DeviceSubscriber {

    /**
     * Makes sure the device's connection is subscribed to {@code topicFilter} on its current login, logging the
     * device in first if needed, and waits (bounded by the completion timeout) for the SUBACK when it subscribes now.
     * @param device a device the credential service knows
     * @param topicFilter an MQTT topic filter, e.g. {@code /sys/{pk}/{dn}/thing/event/+/post_reply}
     * @param type the listener's class
     * @param newListener makes the listener on the filter's first subscription on this connection
     * @return the listener subscribed with the filter on this connection: the one made now, or the one made by the
     * first call on this connection
     */
    <L extends InboundListener> L subscribe(DeviceId device, String topicFilter, Class<L> type,
            Supplier<L> newListener);

    /**
     * From now on, every device that {@code devices} selects is subscribed to its {@code filterFor} at every login,
     * before the login publishes, without waiting for a first {@link #subscribe} (which then finds the subscription
     * made, with its listener). For a platform that takes seconds to apply a new subscription.
     */
    <L extends InboundListener> void subscribeAtLogin(Predicate<DeviceId> devices, Function<DeviceId, String> filterFor,
            Function<DeviceId, L> newListener);
}
