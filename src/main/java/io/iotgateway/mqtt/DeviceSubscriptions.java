package io.iotgateway.mqtt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.transport.DeviceLogin;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.jspecify.annotations.Nullable;

/**
 * The topic filters one device's connection is subscribed to, each with its listener, and on which login each was
 * last confirmed by a SUBACK. A filter is subscribed when it is first asked for; every later login of the connection
 * subscribes all of them in one go before the login is used ({@link #restore}), so a device that never asked for
 * one costs nothing (the warm-up of 10,000 devices sends no SUBSCRIBE). Arriving messages are handed to the
 * listeners of the matching filters on Paho's callback thread ({@link #dispatch}).
 */
final class DeviceSubscriptions {

    private static final Log log = LogFactory.getLog(DeviceSubscriptions.class);

    // the platform takes at most 8 topic filters per SUBSCRIBE
    static final int FILTERS_PER_SUBSCRIBE = 8;

    private final DeviceId device;

    private final long timeoutMillis;

    private final Map<String, Subscription> byFilter = new ConcurrentHashMap<>();

    DeviceSubscriptions(DeviceId device, long timeoutMillis) {
        this.device = device;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The filter's listener once the filter is subscribed on the login {@code loginForRequest} gives, which is
     * called after the filter is remembered: a login it opens now restores the filter with the others.
     */
    <L extends InboundListener> L subscribe(String filter, Class<L> type, Supplier<L> newListener,
            Supplier<DeviceLogin> loginForRequest) {
        Subscription subscription = this.byFilter.computeIfAbsent(filter,
                f -> new Subscription(f, newListener.get()));
        DeviceLogin up = loginForRequest.get();
        if (subscription.confirmedOn != up) {
            // one SUBSCRIBE per filter and login, also under concurrent first requests (bounded by the timeout)
            synchronized (subscription) {
                if (subscription.confirmedOn != up) {
                    subscribeOrFail(up, subscription);
                }
            }
        }
        return type.cast(subscription.listener);
    }

    /** Remembers the filter with its listener without subscribing: the next login subscribes it ({@link #restore}). */
    void remember(String filter, InboundListener listener) {
        this.byFilter.computeIfAbsent(filter, f -> new Subscription(f, listener));
    }

    private void subscribeOrFail(DeviceLogin up, Subscription subscription) {
        try {
            up.subscribe(new String[] { subscription.filter }, this.timeoutMillis);
            subscription.confirmedOn = up;
        }
        catch (MqttException ex) {
            throw failed(ex);
        }
    }

    /** Subscribes a new login to every remembered filter; a failure leaves them to the next request that needs one. */
    void restore(DeviceLogin login) {
        List<Subscription> all = List.copyOf(this.byFilter.values());
        for (int from = 0; from < all.size(); from += FILTERS_PER_SUBSCRIBE) {
            List<Subscription> batch = all.subList(from, Math.min(all.size(), from + FILTERS_PER_SUBSCRIBE));
            try {
                login.subscribe(batch.stream().map(Subscription::filter).toArray(String[]::new), this.timeoutMillis);
                batch.forEach(subscription -> subscription.confirmedOn = login);
            }
            catch (MqttException ex) {
                log.warn("Device " + this.device + ": could not restore its subscriptions after a login ("
                        + GatewayFailure.describe(ex) + "); the next request that needs one subscribes again");
                return;
            }
        }
        if (!all.isEmpty()) {
            log.debug("Device " + this.device + ": restored " + all.size() + " subscription(s)");
        }
    }

    /** On Paho's callback thread: hands the message to the listener of every matching filter. */
    void dispatch(String topic, byte[] payload) {
        for (Subscription subscription : this.byFilter.values()) {
            if (MqttTopic.isMatched(subscription.filter, topic)) {
                subscription.listener.messageArrived(topic, payload);
            }
        }
    }

    /** Whether a listener waits for a message, e.g. the reply to a request it published. */
    boolean awaitsMessages() {
        for (Subscription subscription : this.byFilter.values()) {
            if (subscription.listener.awaitsMessages()) {
                return true;
            }
        }
        return false;
    }

    private GatewayException failed(MqttException ex) {
        if (ex.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
            return new GatewayException(ProblemType.SUBSCRIPTION_REFUSED, "The IoT Platform refused to subscribe "
                    + "device " + this.device + " to the topics of its replies; nothing was published.", ex)
                .with("device", this.device.toString());
        }
        return new GatewayException(ProblemType.PLATFORM_UNAVAILABLE, "Device " + this.device + " could not "
                + "subscribe to the topics of its replies (" + GatewayFailure.describe(ex) + "); nothing was "
                + "published.", ex)
            .retryAfter(DeviceConnection.RETRY_SOON)
            .with("device", this.device.toString());
    }

    private static final class Subscription {

        private final String filter;

        private final InboundListener listener;

        // the login whose SUBACK confirmed the filter, if it is still the connection's
        private volatile @Nullable DeviceLogin confirmedOn;

        Subscription(String filter, InboundListener listener) {
            this.filter = filter;
            this.listener = listener;
        }

        String filter() {
            return this.filter;
        }
    }
}
