package io.iotgateway.emulator;

import java.util.Optional;
import java.util.function.Consumer;

import io.iotgateway.credential.DeviceId;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's topic hook: applies the {@link PublishPolicy} topic rules. A refused PUBLISH also disconnects its
 * client, because Moquette drops a refused QoS 1 message without PUBACK and the publisher would otherwise wait for
 * its timeout.
 */
final class PlatformAuthorizator implements IAuthorizatorPolicy {

    private static final Logger logger = LoggerFactory.getLogger(PlatformAuthorizator.class);

    private final PublishPolicy policy;

    private final EmulatorInbox inbox;

    private final Consumer<String> disconnect;

    PlatformAuthorizator(PublishPolicy policy, EmulatorInbox inbox, Consumer<String> disconnect) {
        this.policy = policy;
        this.inbox = inbox;
        this.disconnect = disconnect;
    }

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        DeviceId device = LoginCheck.deviceOf(user);
        Optional<String> refusal = (device != null) ? this.policy.topicRefusal(device, topic.toString())
                : Optional.of("the connection has no device user name");
        if (refusal.isEmpty()) {
            return true;
        }
        logger.warn("Emulator refused PUBLISH of client '{}' to '{}': {}; disconnecting the client",
                LogText.escape(client), LogText.escape(topic.toString()), LogText.escape(refusal.get()));
        this.inbox.countRefusedPublish();
        this.disconnect.accept(client);
        return false;
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        DeviceId device = LoginCheck.deviceOf(user);
        boolean allowed = device != null && this.policy.maySubscribe(device, topic.toString());
        if (!allowed) {
            logger.warn("Emulator refused SUBSCRIBE of client '{}' to '{}': a device may subscribe only to its own "
                    + "topics", LogText.escape(client), LogText.escape(topic.toString()));
        }
        return allowed;
    }
}
