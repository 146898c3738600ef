package io.iotgateway.message;

import java.io.Serializable;
import java.time.Duration;

import io.iotgateway.credential.DeviceId;
import org.jspecify.annotations.Nullable;

/**
 * Where the answers of the idempotency cache outlive this replica's memory: in a cluster, the grid keeps each answer
 * beside its device's ownership (io.iotgateway.cluster), so that a retry that reaches the device's next owner, after
 * a hand-over or a crash, still gets the first answer. A single gateway has none ({@link #NONE}).
 */
public interface IdempotencyBackup {

    /** No backup: answers live in this replica's memory only. */
    IdempotencyBackup NONE = new IdempotencyBackup() {

        @Override
        public @Nullable Serializable recall(DeviceId device, String caller, String idempotencyKey) {
            return null;
        }

        @Override
        public void remember(DeviceId device, String caller, String idempotencyKey, Serializable answer,
                Duration window) {
        }
    };

    /** The answer remembered for the caller's key of the device, or {@code null}. */
    @Nullable Serializable recall(DeviceId device, String caller, String idempotencyKey);

    /** Remembers the answer for the window; a backup that cannot do it now forgets it (the cache still has it). */
    void remember(DeviceId device, String caller, String idempotencyKey, Serializable answer, Duration window);
}
