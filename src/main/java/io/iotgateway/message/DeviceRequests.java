package io.iotgateway.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The checks every endpoint that posts as a device shares with the publish endpoint, in one place: the device
 * known (404; a malformed id is {@code DeviceId.parse}'s 400), the body (at most {@code gateway.message.max-payload}, 413 past it, read from the
 * stream before anything could parse it), the platform's per-device message rate (429) and the
 * {@code Idempotency-Key} (one cache for every such endpoint, so a key names one request whichever endpoint it
 * went to; docs/delivery.md).
 */
@Component
public class DeviceRequests {

    /** The request header that makes a retry safe. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Marks an answer repeated from the idempotency cache: nothing was posted this time. */
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    // the first request is bounded by its own timeouts; a duplicate never waits longer than this
    private static final Duration IDEMPOTENT_JOIN_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern IDEMPOTENCY_KEY_FORM = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final CredentialService credentials;

    private final MessageProperties properties;

    private final DeviceRateLimiter rateLimiter;

    private final IdempotencyCache<Object> idempotency;

    DeviceRequests(CredentialService credentials, MessageProperties properties, DeviceRateLimiter rateLimiter,
            Clock clock, MeterRegistry meterRegistry, ObjectProvider<IdempotencyBackup> backup) {
        this.credentials = credentials;
        this.properties = properties;
        this.rateLimiter = rateLimiter;
        this.idempotency = new IdempotencyCache<>(clock, properties.idempotencyWindow(),
                properties.idempotencyMaxKeys(), IDEMPOTENT_JOIN_TIMEOUT, Counter
                    .builder("gateway.publish.idempotent.replays")
                    .description("Requests answered from the idempotency cache instead of publishing again")
                    .register(meterRegistry)::increment, backup.getIfAvailable(() -> IdempotencyBackup.NONE));
    }

    /** @throws GatewayException 404 when the gateway does not know the device */
    public void requireKnown(DeviceId device) {
        if (!this.credentials.exists(device)) {
            throw new GatewayException(ProblemType.UNKNOWN_DEVICE, "Device " + device + " is not registered with "
                    + "the gateway; add its triple to the gateway's devices.")
                .with("device", device.toString());
        }
    }

    /**
     * Posts with the platform's rate and the caller's idempotency key: a request repeated with the key gets the first
     * answer and posts nothing (no rate slot either); otherwise the device takes a slot of its QoS (429 when it has
     * none) and {@code post} runs.
     * @param fingerprint what the request was (see {@link #fingerprint}); the key reused for another is a 422
     */
    public <T> Outcome<T> post(DeviceId device, int qos, byte[] fingerprint, @Nullable String idempotencyKey,
            String caller, Class<T> answerType, Supplier<T> post) {
        Supplier<T> limited = () -> {
            // 429 instead of a message the platform would drop silently; a replayed duplicate never gets here
            this.rateLimiter.acquire(device, qos);
            return post.get();
        };
        if (idempotencyKey == null) {
            return new Outcome<>(limited.get(), false);
        }
        IdempotencyCache.Key key = new IdempotencyCache.Key(caller, device, checked(idempotencyKey));
        Outcome<Object> outcome = this.idempotency.execute(key, fingerprint, limited::get);
        // equal fingerprints, so the same kind of request and the same type of answer
        return new Outcome<>(answerType.cast(outcome.answer()), outcome.replayed());
    }

    /**
     * The body, read from the stream: at most {@code max-payload + 1} bytes, so an unbounded body costs no more than
     * the limit. Tomcat would otherwise turn a form body (curl's default) into form fields.
     * @throws GatewayException 413 past the limit
     */
    public byte[] readBody(HttpServletRequest request) throws IOException {
        long max = this.properties.maxPayload().toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(declared + " bytes", max);
        }
        try (InputStream body = request.getInputStream()) {
            if (declared >= 0) {
                // the usual case: exactly the declared length (Tomcat ends the stream there), no growing buffers
                return body.readNBytes((int) declared);
            }
            byte[] payload = body.readNBytes((int) max + 1);
            if (payload.length > max) {
                throw tooLarge("more than " + max + " bytes", max);
            }
            return payload;
        }
    }

    /** Whose retries an idempotency key groups: the authenticated caller, or {@code anonymous}. */
    public static String caller(HttpServletRequest request) {
        Principal caller = request.getUserPrincipal();
        return (caller != null) ? caller.getName() : "anonymous";
    }

    /** A request's fingerprint for its idempotency key: what it is ({@code what}, e.g. topic and QoS) and its body. */
    public static byte[] fingerprint(String what, byte[] payload) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((what + "\n").getBytes(StandardCharsets.UTF_8));
            return digest.digest(payload);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

    private static String checked(String idempotencyKey) {
        if (!IDEMPOTENCY_KEY_FORM.matcher(idempotencyKey).matches()) {
            throw new GatewayException(ProblemType.INVALID_REQUEST, "An Idempotency-Key is 1 to 255 visible ASCII "
                    + "characters, e.g. a UUID.");
        }
        return idempotencyKey;
    }

    private static GatewayException tooLarge(String size, long max) {
        return new GatewayException(ProblemType.PAYLOAD_TOO_LARGE, "The payload is " + size + "; the limit is " + max
                + " bytes (the IoT Platform refuses MQTT messages over 256 KB).");
    }

    /**
     * What a request posted as a device got, and whether it is the answer of an earlier request with the same
     * {@code Idempotency-Key}, repeated without posting again.
     *
     * @param answer the answer of the request that posted
     * @param replayed this request posted nothing: it repeated a request answered before
     */
    public record Outcome<T>(T answer, boolean replayed) {
    }
}
