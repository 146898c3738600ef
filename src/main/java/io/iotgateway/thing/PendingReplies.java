package io.iotgateway.thing;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.InboundListener;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.ObjectReader;

/**
 * One device's thing-model requests that wait for their replies, and its Alink ids. It is the listener of the
 * device's reply subscription, so it lives with the device's connection on the gateway that owns the device (and
 * ends with it): no gateway-wide map of devices. Bounded; each waiting request removes its entry when it is
 * answered or gives up. Replies arrive on the MQTT client's callback thread, which only completes a future here.
 */
final class PendingReplies implements InboundListener {

    private static final Log log = LogFactory.getLog(PendingReplies.class);

    private final DeviceId device;

    private final AlinkIds ids;

    private final ObjectReader json;

    private final int maxPending;

    private final Semaphore room;

    private final Map<String, Pending> waiting = new ConcurrentHashMap<>();

    PendingReplies(DeviceId device, Clock clock, ObjectReader json, int maxPending) {
        this.device = device;
        this.ids = new AlinkIds(clock);
        this.json = json;
        this.maxPending = maxPending;
        this.room = new Semaphore(maxPending);
    }

    /**
     * A new request id that waits for its reply on {@code replyTopic}; {@link #close} it when done.
     * @param replyTopic the topic the reply comes on: a reply with the id on another topic (the reply to a raw Alink
     * request of the caller's, whose ids the caller chose) is not this request's
     */
    Pending open(String replyTopic) {
        String id = this.ids.next();
        if (!this.room.tryAcquire()) {
            throw new GatewayException(ProblemType.DEVICE_BUSY, "Device " + this.device + " already has "
                    + this.maxPending + " thing-model requests waiting for the "
                    + "platform's reply; nothing was published.")
                .retryAfter(Duration.ofSeconds(1))
                .with("device", this.device.toString());
        }
        Pending pending = new Pending(id, replyTopic, new CompletableFuture<>());
        this.waiting.put(id, pending);
        return pending;
    }

    /** A request that stopped waiting (answered, timed out, failed): its id matches no later reply. */
    void close(Pending pending) {
        if (this.waiting.remove(pending.id(), pending)) {
            this.room.release();
        }
    }

    /** An id for a request that expects no reply ({@code sys.ack = 0}). */
    String idWithoutReply() {
        return this.ids.next();
    }

    int waitingCount() {
        return this.waiting.size();
    }

    /** A request waits for its reply: the device's connection must stay open for it. */
    @Override
    public boolean awaitsMessages() {
        return !this.waiting.isEmpty();
    }

    @Override
    public void messageArrived(String topic, byte[] payload) {
        AlinkReply reply = AlinkReply.parse(this.json, payload);
        if (reply == null) {
            log.debug("Device " + this.device + ": ignored a message on " + topic + " that is not an Alink reply");
            return;
        }
        Pending request = this.waiting.get(reply.id());
        if (request == null || !request.replyTopic().equals(topic)) {
            // late (its request gave up) or not ours
            log.debug("Device " + this.device + ": no request waits for the reply with id " + reply.id());
            return;
        }
        request.reply().complete(reply);
    }

    /**
     * A request waiting for its reply.
     *
     * @param id its Alink id
     * @param replyTopic where its reply comes
     * @param reply completed with the reply that carries the id
     */
    record Pending(String id, String replyTopic, CompletableFuture<AlinkReply> reply) {
    }
}
