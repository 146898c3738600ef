package io.iotgateway.message;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the answers to requests that carried an {@code Idempotency-Key}, per caller and device, for a window
 * (10 minutes by default), so that a retried request gets the first answer instead of publishing again. A
 * duplicate that arrives while the first is still publishing waits for it and gets its answer.
 * <p>
 * A Caffeine {@link AsyncCache} of answers: the first request of a key puts its future in, duplicates join that
 * future, and a future that fails is dropped by Caffeine itself, so only successes are remembered (a failure
 * published nothing, or for 504 maybe something, and a retry with the same key publishes anew). No global lock.
 * Memory is bounded by a maximum number of keys; past it Caffeine forgets keys before their window ends, the ones
 * it expects to be asked for least first. Held in the memory of the replica that owns the device; in a cluster each
 * answer is also kept by the {@link IdempotencyBackup}, so that a retry at the device's next owner finds it.
 *
 * @param <T> the answer to a publish
 */
final class IdempotencyCache<T> {

    private final Duration window;

    private final Duration joinTimeout;

    private final Runnable onReplay;

    private final AsyncCache<Key, Answer<T>> answers;

    private final IdempotencyBackup backup;

    IdempotencyCache(Clock clock, Duration window, int maxKeys, Duration joinTimeout, Runnable onReplay) {
        this(clock, window, maxKeys, joinTimeout, onReplay, IdempotencyBackup.NONE);
    }

    IdempotencyCache(Clock clock, Duration window, int maxKeys, Duration joinTimeout, Runnable onReplay,
            IdempotencyBackup backup) {
        this.backup = backup;
        this.window = window;
        this.joinTimeout = joinTimeout;
        this.onReplay = onReplay;
        this.answers = Caffeine.newBuilder()
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .expireAfterWrite(window)
            .maximumSize(maxKeys)
            // housekeeping (eviction, dropping failed answers) on the caller's thread: no pool to size or load
            .executor(Runnable::run)
            .buildAsync();
    }

    /**
     * Runs {@code publish} once per key within the window and returns its answer; later calls with the key get
     * that answer again, marked as replayed.
     * @param fingerprint what the request was (topic, QoS, payload digest); a reuse of the key for another request
     * is refused with 422
     */
    DeviceRequests.Outcome<T> execute(Key key, byte[] fingerprint, Supplier<T> publish) {
        CompletableFuture<Answer<T>> mine = new CompletableFuture<>();
        CompletableFuture<Answer<T>> first = this.answers.asMap().putIfAbsent(key, mine);
        if (first != null) {
            return replay(first, fingerprint);
        }
        Answer<T> earlier = recall(key);
        if (earlier != null) {
            // answered by the device's previous owner (a cluster's hand-over or crash)
            mine.complete(earlier);
            return replay(mine, fingerprint);
        }
        try {
            T answer = publish.get();
            Answer<T> remembered = new Answer<>(fingerprint, answer);
            mine.complete(remembered);
            this.backup.remember(key.device(), key.caller(), key.idempotencyKey(), remembered, this.window);
            return new DeviceRequests.Outcome<>(answer, false);
        }
        catch (RuntimeException ex) {
            mine.completeExceptionally(ex);
            throw ex;
        }
    }

    private DeviceRequests.Outcome<T> replay(CompletableFuture<Answer<T>> first, byte[] fingerprint) {
        Answer<T> answer = await(first);
        if (!Arrays.equals(answer.fingerprint(), fingerprint)) {
            throw new GatewayException(ProblemType.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used within "
                    + "the last " + this.window.toMinutes() + " minutes for a request with another topic, QoS or "
                    + "payload; use a new key for a new message.");
        }
        this.onReplay.run();
        return new DeviceRequests.Outcome<>(answer.value(), true);
    }

    private Answer<T> await(CompletableFuture<Answer<T>> first) {
        try {
            return first.get(this.joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            // the duplicate joined the first request, which failed: it shares the failure
            throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
        }
        catch (TimeoutException ex) {
            throw new GatewayException(ProblemType.DEVICE_BUSY, "The first request with this Idempotency-Key is "
                    + "still being published; retry with the same key.");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new GatewayException(ProblemType.DEVICE_BUSY, "Interrupted while waiting for the first request "
                    + "with this Idempotency-Key.");
        }
    }

    @SuppressWarnings("unchecked")
    private @Nullable Answer<T> recall(Key key) {
        Serializable earlier = this.backup.recall(key.device(), key.caller(), key.idempotencyKey());
        return (earlier instanceof Answer<?> answer) ? (Answer<T>) answer : null;
    }

    long size() {
        this.answers.synchronous().cleanUp();
        return this.answers.synchronous().estimatedSize();
    }

    /**
     * Whose retry a request is: the same caller, device and key.
     *
     * @param caller the authenticated caller, or {@code anonymous}
     * @param device the publishing device
     * @param idempotencyKey the client's key
     */
    record Key(String caller, DeviceId device, String idempotencyKey) {
    }

    // Serializable for the cluster's backup; T is a receipt record
    private record Answer<T>(byte[] fingerprint, T value) implements Serializable {
    }
}
