package io.iotgateway.message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;

import org.springframework.http.ResponseEntity;

/**
 * Remembers the answers to requests that carried an {@code Idempotency-Key}, per caller and device, for a window
 * (10 minutes by default), so that a retried request gets the first answer instead of publishing again. A
 * duplicate that arrives while the first is still publishing waits for it and gets its answer.
 * <p>
 * Only successes are remembered: a failure published nothing (or, for 504, maybe something), and a retry with
 * the same key publishes anew. Memory is bounded by a maximum number of keys; past it the oldest keys are
 * forgotten before their window ends. Held in this instance's memory: replicas do not share it.
 */
final class IdempotencyCache {

    private final Clock clock;

    private final Duration window;

    private final int maxKeys;

    private final Duration joinTimeout;

    private final Runnable onReplay;

    // insertion order is expiry order: the oldest entries are at the head
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    IdempotencyCache(Clock clock, Duration window, int maxKeys, Duration joinTimeout, Runnable onReplay) {
        this.onReplay = onReplay;
        this.clock = clock;
        this.window = window;
        this.maxKeys = maxKeys;
        this.joinTimeout = joinTimeout;
    }

    /**
     * Runs {@code publish} once per key within the window and returns its answer; later calls with the key get
     * that answer again, marked as replayed.
     * @param fingerprint what the request was (topic, QoS, payload digest); a reuse of the key for another request
     * is refused with 422
     */
    ResponseEntity<PublishReceipt> execute(Key key, byte[] fingerprint,
            Supplier<ResponseEntity<PublishReceipt>> publish) {
        Entry entry;
        boolean first;
        synchronized (this.entries) {
            Instant now = this.clock.instant();
            evictExpired(now);
            entry = this.entries.get(key);
            first = entry == null;
            if (first) {
                entry = new Entry(fingerprint, now);
                this.entries.put(key, entry);
                evictOverflow();
            }
        }
        if (!first) {
            return replay(entry, fingerprint);
        }
        try {
            ResponseEntity<PublishReceipt> answer = publish.get();
            entry.answer.complete(answer);
            return answer;
        }
        catch (RuntimeException ex) {
            synchronized (this.entries) {
                this.entries.remove(key, entry);
            }
            entry.answer.completeExceptionally(ex);
            throw ex;
        }
    }

    private ResponseEntity<PublishReceipt> replay(Entry entry, byte[] fingerprint) {
        if (!Arrays.equals(entry.fingerprint, fingerprint)) {
            throw new GatewayException(ProblemType.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used within "
                    + "the last " + this.window.toMinutes() + " minutes for a request with another topic, QoS or "
                    + "payload; use a new key for a new message.");
        }
        ResponseEntity<PublishReceipt> first = await(entry);
        this.onReplay.run();
        return ResponseEntity.status(first.getStatusCode()).header("Idempotent-Replayed", "true").body(first.getBody());
    }

    private ResponseEntity<PublishReceipt> await(Entry entry) {
        try {
            return entry.answer.get(this.joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
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

    private void evictExpired(Instant now) {
        Instant oldestKept = now.minus(this.window);
        Iterator<Map.Entry<Key, Entry>> oldest = this.entries.entrySet().iterator();
        while (oldest.hasNext() && oldest.next().getValue().createdAt.isBefore(oldestKept)) {
            oldest.remove();
        }
    }

    private void evictOverflow() {
        Iterator<Key> oldest = this.entries.keySet().iterator();
        while (this.entries.size() > this.maxKeys && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    int size() {
        synchronized (this.entries) {
            return this.entries.size();
        }
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

    private static final class Entry {

        final byte[] fingerprint;

        final Instant createdAt;

        final CompletableFuture<ResponseEntity<PublishReceipt>> answer = new CompletableFuture<>();

        Entry(byte[] fingerprint, Instant createdAt) {
            this.fingerprint = fingerprint;
            this.createdAt = createdAt;
        }
    }
}
