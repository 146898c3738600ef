package io.iotgateway.message;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.limit.SlidingWindow;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps each device within the platform's message rates: at most N messages per QoS in <em>any</em> one-second
 * window, whatever the platform's window alignment ({@link SlidingWindow}, one per device and QoS). A refused message gets 429 with {@code Retry-After} from the log: when its oldest entry leaves the
 * window. Every message that passes the request checks counts, whether its publish then succeeds or not.
 */
@Component
class DeviceRateLimiter {

    static final Duration WINDOW = Duration.ofSeconds(1);

    // every so many acquisitions, logs of devices idle for a whole window are dropped
    private static final int SWEEP_EVERY = 4096;

    private final MessageRateProperties limits;

    private final LongSupplier nanoTime;

    private final MeterRegistry meters;

    private final Map<Key, SlidingWindow> logs = new ConcurrentHashMap<>();

    private final AtomicLong acquisitions = new AtomicLong();

    @Autowired
    DeviceRateLimiter(MessageRateProperties limits, MeterRegistry meters) {
        this(limits, meters, System::nanoTime);
    }

    DeviceRateLimiter(MessageRateProperties limits, MeterRegistry meters, LongSupplier nanoTime) {
        this.limits = limits;
        this.meters = meters;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a slot for one message of the device at the QoS.
     * @throws GatewayException 429 {@code rate-limited} with {@code Retry-After} when the device used its slots
     */
    void acquire(DeviceId device, int qos) {
        long now = this.nanoTime.getAsLong();
        long[] wait = new long[1];
        // compute runs under the key's lock: the check and the record are one step
        this.logs.compute(new Key(device, qos), (key, log) -> {
            SlidingWindow current = (log != null) ? log : new SlidingWindow(this.limits.perSecond(qos), WINDOW);
            wait[0] = current.tryAcquire(now);
            return current;
        });
        if (this.acquisitions.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(now);
        }
        if (wait[0] > 0) {
            this.meters.counter("gateway.publish.rate.limited", "qos", Integer.toString(qos)).increment();
            throw new GatewayException(ProblemType.RATE_LIMITED, "Device " + device + " already published "
                    + this.limits.perSecond(qos) + " QoS " + qos + " messages within the last second, the most the "
                    + "IoT Platform takes (it would silently drop more). Not published; retry after Retry-After.")
                .retryAfter(Duration.ofNanos(wait[0]))
                .with("device", device.toString());
        }
    }

    /** How many device and QoS logs are held; for tests. */
    int trackedLogs() {
        return this.logs.size();
    }

    private void sweep(long now) {
        for (Key key : this.logs.keySet()) {
            this.logs.computeIfPresent(key, (k, log) -> log.idleAt(now) ? null : log);
        }
    }

    private record Key(DeviceId device, int qos) {
    }
}
