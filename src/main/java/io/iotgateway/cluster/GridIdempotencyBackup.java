package io.iotgateway.cluster;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionAwareKey;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.message.IdempotencyBackup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The idempotency answers in the grid, each in its device's partition: on the device's owner, with a backup on
 * another member, so that they move with the device (a hand-over) and survive its owner (a crash). Only requests
 * that carry an {@code Idempotency-Key} cost a grid write, and it is local to the owner but for its backup.
 */
final class GridIdempotencyBackup implements IdempotencyBackup {

    static final String ANSWERS = "gateway-idempotency";

    private static final Log log = LogFactory.getLog(GridIdempotencyBackup.class);

    private final IMap<PartitionAwareKey<String, String>, Serializable> answers;

    GridIdempotencyBackup(HazelcastInstance hazelcast) {
        this.answers = hazelcast.getMap(ANSWERS);
    }

    /** Loads the map's classes on one platform thread, after the member took its share (see ClusterOwnership). */
    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    void loadClasses() {
        DeviceId probe = DeviceId.parse("warmUp", "warm-up");
        this.answers.set(key(probe, "warm-up", "warm-up"), "", 1, TimeUnit.SECONDS);
        this.answers.get(key(probe, "warm-up", "warm-up"));
    }

    @Override
    public @Nullable Serializable recall(DeviceId device, String caller, String idempotencyKey) {
        try {
            return this.answers.get(key(device, caller, idempotencyKey));
        }
        catch (HazelcastException ex) {
            // without the grid the key is new here: at worst the message is published again (at least once)
            log.warn("Could not look up an Idempotency-Key of device " + device + " in the cluster: " + ex);
            return null;
        }
    }

    @Override
    public void remember(DeviceId device, String caller, String idempotencyKey, Serializable answer,
            Duration window) {
        try {
            this.answers.set(key(device, caller, idempotencyKey), answer, window.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (HazelcastException ex) {
            log.warn("Could not keep an Idempotency-Key answer of device " + device + " in the cluster: " + ex);
        }
    }

    private static PartitionAwareKey<String, String> key(DeviceId device, String caller, String idempotencyKey) {
        // caller and key are visible ASCII without spaces (DeviceRequests checks the key), so a space separates
        return new PartitionAwareKey<>(device + " " + caller + " " + idempotencyKey, device.toString());
    }
}
