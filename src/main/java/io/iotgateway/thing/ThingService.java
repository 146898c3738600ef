package io.iotgateway.thing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.message.DeviceRequests;
import io.iotgateway.mqtt.DevicePublisher;
import io.iotgateway.mqtt.DeviceSubscriber;
import io.iotgateway.thing.PendingReplies.Pending;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

/**
 * Posts Alink requests as a device and waits for the platform's reply: the device's connection is subscribed to its
 * reply topics on the first post (and keeps them over reconnects), the request gets an id from the device's
 * {@link PendingReplies}, is published at QoS 1, and the reply with that id is the answer (or 504 after the reply
 * timeout). The checks in front are the publish endpoint's own ({@link DeviceRequests}).
 */
@Service
class ThingService {

    private static final byte[] SAMPLE_REPLY = "{\"code\":200,\"data\":{},\"id\":\"1\",\"message\":\"success\"}"
        .getBytes(StandardCharsets.UTF_8);

    private final DeviceRequests requests;

    private final DevicePublisher publisher;

    private final DeviceSubscriber subscriber;

    private final ThingProperties properties;

    private final Clock clock;

    private final JsonMapper json;

    private final ObjectReader replies;

    private final CallerJson callerJson;

    ThingService(DeviceRequests requests, DevicePublisher publisher, DeviceSubscriber subscriber,
            ThingProperties properties, Clock clock, JsonMapper json) {
        this.requests = requests;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.properties = properties;
        this.clock = clock;
        this.json = json;
        this.replies = json.readerFor(JsonNode.class);
        this.callerJson = new CallerJson(json);
        // replies are read on the MQTT clients' virtual callback threads: load what reading one needs now
        AlinkReply.parse(this.replies, SAMPLE_REPLY);
        if (!properties.subscribeAtLogin().isEmpty()) {
            subscriber.subscribeAtLogin(properties::subscribesAtLogin, AlinkRequest::replyFilter, this::newReplies);
        }
    }

    private PendingReplies newReplies(DeviceId device) {
        return new PendingReplies(device, this.clock, this.replies, this.properties.maxPendingPerDevice());
    }

    /** @throws GatewayException 400 for a malformed product key or device name, 404 for an unknown device */
    DeviceId knownDevice(String productKey, String deviceName, @Nullable String eventIdentifier) {
        DeviceId device = DeviceId.parse(productKey, deviceName);
        if (eventIdentifier != null) {
            Identifier.checkEvent(eventIdentifier);
        }
        this.requests.requireKnown(device);
        return device;
    }

    /** A property post of the caller's object of identifiers to values; 400 when it is not one. */
    AlinkRequest properties(DeviceId device, byte[] body) {
        return AlinkRequest.properties(device, this.callerJson.object(body, "property", false));
    }

    /** An event post of the caller's output parameters (an event may have none: {@code {}}); 400 when not an object. */
    AlinkRequest event(DeviceId device, String identifier, byte[] body) {
        return AlinkRequest.event(device, identifier, this.callerJson.object(body, "event parameter", true),
                this.clock.millis());
    }

    /**
     * Posts the request within the device's message rate and with the caller's idempotency key.
     * @param ack whether to ask for and wait for the platform's reply ({@code sys.ack = 1})
     * @param body the caller's body, for the key's fingerprint
     */
    DeviceRequests.Outcome<ThingReceipt> post(DeviceId device, AlinkRequest request, boolean ack, byte[] body,
            @Nullable String idempotencyKey, String caller) {
        byte[] fingerprint = (idempotencyKey != null)
                ? DeviceRequests.fingerprint("thing\n" + request.topic() + "\nack=" + ack, body) : new byte[0];
        // a thing-model post is a QoS 1 message for the platform's rate
        return this.requests.post(device, 1, fingerprint, idempotencyKey, caller, ThingReceipt.class,
                () -> exchange(device, request, ack));
    }

    private ThingReceipt exchange(DeviceId device, AlinkRequest request, boolean ack) {
        // also with ack=0: the device's Alink ids live with its reply listener, on its connection
        PendingReplies pending = this.subscriber.subscribe(device, AlinkRequest.replyFilter(device),
                PendingReplies.class, () -> newReplies(device));
        if (!ack) {
            String id = pending.idWithoutReply();
            byte[] payload = request.payload(this.json, id, false);
            this.publisher.publish(device, request.topic(), payload, 1);
            return receipt(device, request, id, null, payload.length, this.clock.instant());
        }
        Pending waiting = pending.open(request.topic() + "_reply");
        try {
            byte[] payload = request.payload(this.json, waiting.id(), true);
            this.publisher.publish(device, request.topic(), payload, 1);
            Instant publishedAt = this.clock.instant();
            AlinkReply reply = await(waiting, device, request);
            ReplyVerdict.check(reply, device);
            return receipt(device, request, waiting.id(), reply, payload.length, publishedAt);
        }
        finally {
            pending.close(waiting);
        }
    }

    private AlinkReply await(Pending waiting, DeviceId device, AlinkRequest request) {
        Duration timeout = this.properties.replyTimeout();
        try {
            return waiting.reply().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            throw noReply(waiting, device, request, "within " + timeout.toMillis() + " ms");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw noReply(waiting, device, request, "before the request was interrupted");
        }
        catch (ExecutionException ex) {
            // replies only ever complete the future normally
            throw new IllegalStateException(ex);
        }
    }

    private static GatewayException noReply(Pending waiting, DeviceId device, AlinkRequest request, String when) {
        return new GatewayException(ProblemType.REPLY_TIMEOUT, "The IoT Platform acknowledged the message (PUBACK) "
                + "but sent no reply to Alink request " + waiting.id() + " on " + request.topic() + "_reply " + when
                + ": the data may or may not have been accepted. A retry posts it again. (On the IoT Platform a "
                + "device's first subscription to its reply topics takes about 10 s to take effect: after a "
                + "device's first post, later ones are answered.)")
            .with("device", device.toString())
            .with("alinkId", waiting.id());
    }

    private ThingReceipt receipt(DeviceId device, AlinkRequest request, String id, @Nullable AlinkReply reply,
            int payloadBytes, Instant publishedAt) {
        return new ThingReceipt(id, (reply != null) ? reply.code() : null, (reply != null) ? reply.data() : null,
                UUID.randomUUID().toString(), device.productKey(), device.deviceName(), request.topic(), 1,
                payloadBytes, (reply != null) ? "replied" : "acknowledged", publishedAt);
    }
}
