package io.iotgateway.cluster;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.iotgateway.credential.DeviceCredentialsChanged;
import io.iotgateway.credential.DeviceId;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;

/**
 * Tells every replica about a registry change: the admin API may change a device's secret on one replica while
 * another owns the device and holds its connection, and caches its existence. Each change made here is published
 * on a grid topic; the others publish it as their own {@link DeviceCredentialsChanged}, so that the owner closes
 * the stale connection as a single gateway would.
 */
final class CredentialChangeRelay {

    static final String TOPIC = "gateway-credential-changes";

    private static final Log log = LogFactory.getLog(CredentialChangeRelay.class);

    private final ITopic<String> changes;

    private final ApplicationEventPublisher events;

    // the event being published from the topic on this thread, not to be sent back to it
    private final ThreadLocal<DeviceCredentialsChanged> relaying = new ThreadLocal<>();

    CredentialChangeRelay(HazelcastInstance hazelcast, ApplicationEventPublisher events) {
        this.changes = hazelcast.getTopic(TOPIC);
        this.events = events;
        this.changes.addMessageListener(message -> {
            if (!message.getPublishingMember().localMember()) {
                DeviceCredentialsChanged change = parse(message.getMessageObject());
                // closing the stale connection waits for the broker: not on the grid's event thread
                Thread.ofVirtual().name("credential-change-relay").start(() -> relay(change));
            }
        });
    }

    @EventListener
    void onLocalChange(DeviceCredentialsChanged change) {
        if (change.equals(this.relaying.get())) {
            return;
        }
        try {
            this.changes.publish(change.change() + " " + change.device());
        }
        catch (HazelcastException ex) {
            log.warn("Could not tell the other replicas that device " + change.device() + " changed; its owner "
                    + "notices within gateway.registry.known-device-ttl or at its next login: " + ex);
        }
    }

    private void relay(DeviceCredentialsChanged change) {
        this.relaying.set(change);
        try {
            this.events.publishEvent(change);
        }
        finally {
            this.relaying.remove();
        }
    }

    private static DeviceCredentialsChanged parse(String message) {
        int space = message.indexOf(' ');
        String device = message.substring(space + 1);
        int slash = device.indexOf('/');
        return new DeviceCredentialsChanged(DeviceId.parse(device.substring(0, slash), device.substring(slash + 1)),
                DeviceCredentialsChanged.Change.valueOf(message.substring(0, space)));
    }
}
