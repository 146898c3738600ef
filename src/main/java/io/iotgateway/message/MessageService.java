package io.iotgateway.message;

import java.time.Clock;
import java.util.UUID;

import io.iotgateway.credential.CredentialService;
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

    private final CredentialService credentials;

    private final DevicePublisher publisher;

    private final Clock clock;

    MessageService(CredentialService credentials, DevicePublisher publisher, Clock clock) {
        this.credentials = credentials;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Everything about a request that can be checked before its body is read.
     * @throws GatewayException 400 for a malformed device, topic or QoS; 404 for an unknown device
     */
    PublishTarget target(String productKey, String deviceName, String topicLevels, @Nullable String qos) {
        if (!DeviceId.isValidProductKey(productKey) || !DeviceId.isValidDeviceName(deviceName)) {
            throw new GatewayException(ProblemType.INVALID_DEVICE, "A product key is 1-32 letters or digits and a "
                    + "device name 4-32 characters of letters, digits and -_@.: (got " + productKey.length()
                    + " and " + deviceName.length() + " characters).");
        }
        DeviceId device = new DeviceId(productKey, deviceName);
        int qosLevel = parseQos(qos);
        String topic = UserTopic.of(device, topicLevels);
        if (this.credentials.find(device).isEmpty()) {
            throw new GatewayException(ProblemType.UNKNOWN_DEVICE, "Device " + device + " is not registered with "
                    + "the gateway; add its triple to the gateway's devices.")
                .with("device", device.toString());
        }
        return new PublishTarget(device, topic, qosLevel);
    }

    PublishReceipt publish(PublishTarget target, byte[] payload) {
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
