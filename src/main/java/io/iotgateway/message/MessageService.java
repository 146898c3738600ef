package io.iotgateway.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.message.IdempotencyCache.Outcome;
import io.iotgateway.mqtt.DevicePublisher;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * Checks a message request against the platform's rules and publishes it as the device.
 */
@Service
class MessageService {

    // the first request is bounded by the connect and publish timeouts; a duplicate never waits longer than this
    private static final Duration IDEMPOTENT_JOIN_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final CredentialService credentials;

    private final DevicePublisher publisher;

    private final Clock clock;

    private final IdempotencyCache<PublishReceipt> idempotency;

    private final DeviceRateLimiter rateLimiter;

    MessageService(CredentialService credentials, DevicePublisher publisher, Clock clock,
            MessageProperties properties, DeviceRateLimiter rateLimiter, MeterRegistry meterRegistry) {
        this.rateLimiter = rateLimiter;
        this.credentials = credentials;
        this.publisher = publisher;
        this.clock = clock;
        this.idempotency = new IdempotencyCache<>(clock, properties.idempotencyWindow(),
                properties.idempotencyMaxKeys(), IDEMPOTENT_JOIN_TIMEOUT, Counter
                    .builder("gateway.publish.idempotent.replays")
                    .description("Requests answered from the idempotency cache instead of publishing again")
                    .register(meterRegistry)::increment);
    }

    /**
     * Everything about a request that can be checked before its body is read.
     * @throws io.iotgateway.credential.InvalidDeviceIdException for a malformed product key or device name
     * @throws GatewayException 400 for a malformed topic or QoS; 404 for an unknown device
     */
    PublishTarget target(String productKey, String deviceName, String topicLevels, @Nullable String qos) {
        DeviceId device = DeviceId.parse(productKey, deviceName);
        int qosLevel = parseQos(qos);
        String topic = UserTopic.of(device, topicLevels);
        if (!this.credentials.exists(device)) {
            throw new GatewayException(ProblemType.UNKNOWN_DEVICE, "Device " + device + " is not registered with "
                    + "the gateway; add its triple to the gateway's devices.")
                .with("device", device.toString());
        }
        return new PublishTarget(device, topic, qosLevel);
    }

    /**
     * Publishes the payload; with an idempotency key, at most once per caller, device and key within the window.
     * @return the receipt once the platform acknowledged the message (QoS 1) or it was written (QoS 0), and whether
     * it is the receipt of an earlier request with the same key, which this one repeated without publishing
     */
    Outcome<PublishReceipt> publish(PublishTarget target, byte[] payload, @Nullable String idempotencyKey,
            String caller) {
        if (idempotencyKey == null) {
            return new Outcome<>(publish(target, payload), false);
        }
        IdempotencyCache.Key key = new IdempotencyCache.Key(caller, target.device(), checked(idempotencyKey));
        return this.idempotency.execute(key, fingerprint(target, payload), () -> publish(target, payload));
    }

    private PublishReceipt publish(PublishTarget target, byte[] payload) {
        // 429 instead of a message the platform would drop silently; a replayed duplicate never gets here
        this.rateLimiter.acquire(target.device(), target.qos());
        this.publisher.publish(target.device(), target.topic(), payload, target.qos());
        return new PublishReceipt(UUID.randomUUID().toString(), target.device().productKey(),
                target.device().deviceName(), target.topic(), target.qos(), payload.length,
                (target.qos() == 1) ? "acknowledged" : "sent", this.clock.instant());
    }

    private static String checked(String idempotencyKey) {
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new GatewayException(ProblemType.INVALID_REQUEST, "An Idempotency-Key is 1 to 255 visible ASCII "
                    + "characters, e.g. a UUID.");
        }
        return idempotencyKey;
    }

    private static byte[] fingerprint(PublishTarget target, byte[] payload) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((target.topic() + "\n" + target.qos() + "\n").getBytes(StandardCharsets.UTF_8));
            return digest.digest(payload);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

    private static int parseQos(@Nullable String qos) {
        if (qos == null) {
            return 1;
        }
        return switch (qos) {
            case "0" -> 0;
            case "1" -> 1;
            case "2" -> throw new GatewayException(ProblemType.INVALID_QOS, "QoS 2 is not supported by the IoT "
                    + "Platform; use qos=1 (acknowledged) or qos=0 (fire and forget).");
            default -> throw new GatewayException(ProblemType.INVALID_QOS, "qos must be 0 or 1.");
        };
    }

    /** A checked request: who publishes, where, at which QoS. */
    record PublishTarget(DeviceId device, String topic, int qos) {
    }
}
