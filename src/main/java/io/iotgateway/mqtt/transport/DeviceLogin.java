package io.iotgateway.mqtt.transport;

import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * One login of a device, as its {@link DeviceConnection} sees it: up until Paho reports it lost. The real one is
 * {@link DeviceMqttClient}; the connection's unit tests use their own.
 */
public interface DeviceLogin {

    boolean isConnected();

    /** When the last byte arrived from the platform, on the clock of {@link System#nanoTime()}. */
    long lastInboundNanos();

    /** Disconnects cleanly, waiting at most {@code timeoutMillis} for the platform, and releases the login. */
    void logOut(long timeoutMillis);

    /** Drops a login presumed dead with a reset (nothing buffered is delivered later) and releases it. */
    void abort();

    /** Releases a login that is gone already. */
    void release();

    /**
     * Subscribes this login to the topic filters in one SUBSCRIBE (QoS 0: a reply is only of use while its request
     * waits, and the platform applies the publisher's QoS anyway) and waits at most {@code timeoutMillis} for the
     * SUBACK. Never call it on Paho's callback thread.
     * @throws MqttException the SUBACK refused a filter ({@link MqttException#REASON_CODE_SUBSCRIBE_FAILED}), did not
     * come in time, or the login is gone
     */
    void subscribe(String[] topicFilters, long timeoutMillis) throws MqttException;

    /**
     * Told of every message that arrives on a login, on Paho's callback thread: it must return at once (complete a
     * future, never wait), and Paho acknowledges a QoS 1 message only after it returned.
     */
    @FunctionalInterface
    interface ArrivalListener {

        void arrived(String topic, byte[] payload);
    }

    /** Told when Paho finds a login gone: the platform closed it, a read or write failed, or a ping got no answer. */
    @FunctionalInterface
    interface LossListener {

        void lost(DeviceLogin login, Throwable cause);
    }

    /** Opens the logins of one device. */
    interface Factory {

        /**
         * Logs the device in with freshly signed credentials and waits at most the completion timeout for the CONNACK.
         * @throws LoginFailedException the platform refused, could not be reached or did not answer in time
         * @throws io.iotgateway.web.GatewayException the device is no longer registered
         */
        DeviceLogin login(LossListener lost, ArrivalListener arrived) throws LoginFailedException;

        /** The login was lost or closed: the publisher must not use it again. */
        void forget(DeviceLogin login);
    }

    /** A login that did not succeed, and whether its CONNECT was sent at all (the socket could be opened). */
    final class LoginFailedException extends Exception {

        private final boolean reachedPlatform;

        public LoginFailedException(MqttException cause, boolean reachedPlatform) {
            super(cause);
            this.reachedPlatform = reachedPlatform;
        }

        @Override
        public synchronized MqttException getCause() {
            return (MqttException) super.getCause();
        }

        public boolean reachedPlatform() {
            return this.reachedPlatform;
        }
    }
}
