package io.iotgateway.message;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.DevicePublisher;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * Checks a message request against the platform's rules and publishes it as the device.
 */
@Service
class MessageService {

    private final DeviceRequests requests;

    private final DevicePublisher publisher;

    private final Clock clock;

    MessageService(DeviceRequests requests, DevicePublisher publisher, Clock clock) {
        this.requests = requests;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Everything about a request to a custom topic that can be checked before its body is read.
     * @throws io.iotgateway.credential.InvalidDeviceIdException for a malformed product key or device name
     * @throws GatewayException 400 for a malformed topic or QoS; 404 for an unknown device
     */
    PublishTarget target(String productKey, String deviceName, String topicLevels, @Nullable String qos) {
        return target(productKey, deviceName, qos, device -> UserTopic.of(device, topicLevels));
    }

    /** The same for raw Alink to one of the device's own {@code /sys/{pk}/{dn}/thing/...} topics ({@link SysTopic}). */
    PublishTarget systemTarget(String productKey, String deviceName, String topicLevels, @Nullable String qos) {
        return target(productKey, deviceName, qos, device -> SysTopic.of(device, topicLevels));
    }

    private PublishTarget target(String productKey, String deviceName, @Nullable String qos,
            Function<DeviceId, String> topicOf) {
        DeviceId device = DeviceId.parse(productKey, deviceName);
        int qosLevel = parseQos(qos);
        String topic = topicOf.apply(device);
        this.requests.requireKnown(device);
        return new PublishTarget(device, topic, qosLevel);
    }

    /**
     * Publishes the payload; with an idempotency key, at most once per caller, device and key within the window.
     * @return the receipt once the platform acknowledged the message (QoS 1) or it was written (QoS 0), and whether
     * it is the receipt of an earlier request with the same key, which this one repeated without publishing
     */
    DeviceRequests.Outcome<PublishReceipt> publish(PublishTarget target, byte[] payload, @Nullable String idempotencyKey,
            String caller) {
        byte[] fingerprint = (idempotencyKey != null)
                ? DeviceRequests.fingerprint(target.topic() + "\n" + target.qos(), payload) : new byte[0];
        return this.requests.post(target.device(), target.qos(), fingerprint, idempotencyKey, caller,
                PublishReceipt.class, () -> publish(target, payload));
    }

    private PublishReceipt publish(PublishTarget target, byte[] payload) {
        this.publisher.publish(target.device(), target.topic(), payload, target.qos());
        return new PublishReceipt(UUID.randomUUID().toString(), target.device().productKey(),
                target.device().deviceName(), target.topic(), target.qos(), payload.length,
                (target.qos() == 1) ? "acknowledged" : "sent", this.clock.instant());
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
