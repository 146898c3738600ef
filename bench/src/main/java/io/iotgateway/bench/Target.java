package io.iotgateway.bench;

/**
 * Something the load generator sends messages to, as one of a fixed list of devices: the gateway or the HTTP
 * ceiling over HTTP, the broker directly over Paho, or a {@code mosquitto_pub} process per message.
 */
interface Target extends AutoCloseable {

    /**
     * Sends one message as the device with this index and waits for its answer.
     * @return {@code null} when the message was accepted (HTTP 2xx, PUBACK), else a short key for the error
     * (status and problem type, exception class, exit code) under which it is counted
     */
    String send(int device);

    /**
     * Sends like {@link #send}, but when the answer is a 503 with {@code Retry-After} (the gateway's connect rate
     * limits) waits as told and sends again, until accepted, another answer, or the deadline.
     * @param retries counts the retries
     */
    default String sendRetrying(int device, long deadlineNanos, java.util.concurrent.atomic.LongAdder retries) {
        return send(device);
    }

    @Override
    default void close() {
    }
}
