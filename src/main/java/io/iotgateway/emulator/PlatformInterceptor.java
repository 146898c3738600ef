package io.iotgateway.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.iotgateway.credential.DeviceId;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's event hook. It enforces what the login and topic hooks cannot see: the keep-alive range, one
 * connection per device, QoS 2 and the payload size; and it records accepted messages into the inbox and hands them
 * to the platform's replies.
 * <p>
 * Moquette calls it after the fact, on one interceptor thread in event order: after CONNACK for a login and after
 * PUBACK (QoS 1) or PUBREC (QoS 2) for a publish. So where the platform refuses the CONNECT or the PUBLISH, the
 * emulator accepts it first and then disconnects the client at once and keeps nothing it sent. Differences a client
 * can see:
 * <ul>
 * <li>keep-alive out of range: the platform answers CONNACK 3; here the CONNACK is 0 and the connection drops right
 * after. Paho 1.2.5 then sometimes loses its connect token and reports a connect timeout (32000) instead of the
 * lost connection (32109), though it always calls {@code connectionLost};</li>
 * <li>QoS 2, or a payload a little over the limit (so that the decoder's limit, sized for the longest topic, let it
 * through): Moquette has already acknowledged it when the connection drops.</li>
 * </ul>
 */
final class PlatformInterceptor extends AbstractInterceptHandler {

    private static final Logger logger = LoggerFactory.getLogger(PlatformInterceptor.class);

    private static final int PREVIEW_CHARACTERS = 64;

    private final Duration keepAliveMin;

    private final Duration keepAliveMax;

    private final PublishPolicy policy;

    private final EmulatorInbox inbox;

    private final Consumer<String> disconnect;

    private final Consumer<ReceivedMessage> replies;

    private final Clock clock;

    // connections whose login was accepted, by MQTT client id and by device
    private final Map<String, DeviceId> deviceByClient = new ConcurrentHashMap<>();

    private final Map<DeviceId, String> clientByDevice = new ConcurrentHashMap<>();

    // logins this interceptor refused after Moquette had accepted them; their publishes are not the platform's
    private final Set<String> refusedClients = ConcurrentHashMap.newKeySet();

    PlatformInterceptor(Duration keepAliveMin, Duration keepAliveMax, PublishPolicy policy, EmulatorInbox inbox,
            Consumer<String> disconnect, Consumer<ReceivedMessage> replies, Clock clock) {
        this.keepAliveMin = keepAliveMin;
        this.keepAliveMax = keepAliveMax;
        this.policy = policy;
        this.inbox = inbox;
        this.disconnect = disconnect;
        this.replies = replies;
        this.clock = clock;
    }

    @Override
    public String getID() {
        return "iot-platform-emulator";
    }

    @Override
    public void onConnect(InterceptConnectMessage message) {
        String clientId = message.getClientID();
        DeviceId device = LoginCheck.deviceOf(message.getUsername());
        Duration keepAlive = Duration.ofSeconds(message.getKeepAlive());
        if (device == null) {
            return;
        }
        if (keepAlive.compareTo(this.keepAliveMin) < 0 || keepAlive.compareTo(this.keepAliveMax) > 0) {
            logger.warn("Emulator refused CONNECT of client '{}': keep-alive {} s is outside {}..{} s; "
                    + "disconnecting the client", LogText.escape(clientId), keepAlive.toSeconds(),
                    this.keepAliveMin.toSeconds(), this.keepAliveMax.toSeconds());
            this.inbox.countRefusedConnect();
            this.refusedClients.add(clientId);
            // the same client id may have been online before this login took its session over
            forget(clientId);
            this.disconnect.accept(clientId);
            return;
        }
        this.refusedClients.remove(clientId);
        this.deviceByClient.put(clientId, device);
        String earlier = this.clientByDevice.put(device, clientId);
        logger.info("Emulator accepted login of device {} as client '{}' (keep-alive {} s)", device,
                LogText.escape(clientId), keepAlive.toSeconds());
        if (earlier != null && !earlier.equals(clientId)) {
            logger.warn("Device {} logged in again as client '{}'; disconnecting its earlier connection '{}' "
                    + "(the platform keeps one connection per device)", device, LogText.escape(clientId),
                    LogText.escape(earlier));
            this.inbox.countKick();
            this.disconnect.accept(earlier);
        }
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage message) {
        forget(message.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage message) {
        forget(message.getClientID());
    }

    @Override
    public void onPublish(InterceptPublishMessage message) {
        try {
            receive(message);
        }
        finally {
            // releases the payload buffer
            super.onPublish(message);
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        logger.warn("Emulator broker session loop failed", error);
    }

    private void receive(InterceptPublishMessage message) {
        String clientId = message.getClientID();
        // decided from the message itself: its notification may come after the one that its client went offline
        // (a client that publishes and disconnects at once), and what was acknowledged must be in the inbox
        if (LoginCheck.deviceOf(message.getUsername()) == null || this.refusedClients.contains(clientId)) {
            logger.debug("Emulator ignored PUBLISH of client '{}' whose login was refused", LogText.escape(clientId));
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(message.getPayload());
        int qos = message.getQos().value();
        Optional<String> refusal = this.policy.contentRefusal(qos, payload.length);
        if (refusal.isPresent()) {
            logger.warn("Emulator refused PUBLISH of client '{}' to '{}': {}; disconnecting the client",
                    LogText.escape(clientId), LogText.escape(message.getTopicName()), refusal.get());
            this.inbox.countRefusedPublish();
            this.disconnect.accept(clientId);
            return;
        }
        logger.info("Emulator received on '{}' from client '{}' (QoS {}, {} bytes): {}",
                LogText.escape(message.getTopicName()), LogText.escape(clientId), qos, payload.length,
                preview(payload));
        ReceivedMessage received = new ReceivedMessage(message.getTopicName(), payload, qos, clientId,
                this.clock.instant());
        this.inbox.record(received);
        this.replies.accept(received);
    }

    private void forget(@Nullable String clientId) {
        if (clientId == null) {
            return;
        }
        DeviceId device = this.deviceByClient.remove(clientId);
        if (device != null) {
            this.clientByDevice.remove(device, clientId);
            logger.info("Emulator: device {} (client '{}') went offline", device, LogText.escape(clientId));
        }
    }

    /** The payload's start with anything but printable ASCII shown as '.'; payloads are not secret. */
    static String preview(byte[] payload) {
        StringBuilder preview = new StringBuilder();
        for (int i = 0; i < Math.min(payload.length, PREVIEW_CHARACTERS); i++) {
            int b = payload[i] & 0xFF;
            preview.append((b >= 0x20 && b < 0x7F) ? (char) b : '.');
        }
        return (payload.length > PREVIEW_CHARACTERS) ? preview.append("...").toString() : preview.toString();
    }
}
