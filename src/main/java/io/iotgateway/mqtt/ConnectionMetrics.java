package io.iotgateway.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's own meters for publishing and device connections. Tags are outcomes, QoS and states, never a
 * device: per-device detail lives in health and the devices API, so the number of series does not grow with
 * the fleet. Meters are looked up once and kept, as every request records into them.
 */
final class ConnectionMetrics {

    private static final String PUBLISHED = "published";

    private final MeterRegistry registry;

    private final Counter kicks;

    private final Counter deadConnections;

    // by QoS (0 or 1), then outcome
    private final List<Map<String, Timer>> publishTimers = List.of(new ConcurrentHashMap<>(),
            new ConcurrentHashMap<>());

    private final List<DistributionSummary> payloadSizes;

    private final Map<String, Counter> connects = new ConcurrentHashMap<>();

    ConnectionMetrics(MeterRegistry registry, ToLongFunction<ConnectionState> countInState) {
        this.registry = registry;
        this.kicks = Counter.builder("gateway.connections.kicks")
            .description("Connections closed because another client logged in as the device")
            .register(registry);
        this.deadConnections = Counter.builder("gateway.connections.dead")
            .description("Connections dropped and reopened because the platform stopped answering on them")
            .register(registry);
        for (ConnectionState state : ConnectionState.values()) {
            Gauge.builder("gateway.connections", () -> countInState.applyAsLong(state))
                .description("Device connections by state")
                .tag("state", tag(state.name()))
                // Micrometer holds a gauge's state weakly; this supplier lives nowhere else
                .strongReference(true)
                .register(registry);
        }
        this.payloadSizes = List.of(payloadSize(0), payloadSize(1));
    }

    /** One publish request, by outcome ({@code published} or the problem type) and QoS. */
    void published(int qos, @Nullable ProblemType problem, Duration took, int payloadBytes) {
        String outcome = (problem != null) ? tag(problem.name()) : PUBLISHED;
        this.publishTimers.get(qos).computeIfAbsent(outcome, key -> publishTimer(qos, key)).record(took);
        if (problem == null) {
            this.payloadSizes.get(qos).record(payloadBytes);
        }
    }

    /** One connection attempt: {@code connected} or the problem it ran into. */
    void connectAttempt(@Nullable ProblemType problem) {
        String result = (problem != null) ? tag(problem.name()) : "connected";
        this.connects.computeIfAbsent(result, key -> Counter.builder("gateway.connects")
            .description("Connection attempts to the IoT Platform by result")
            .tag("result", key)
            .register(this.registry)).increment();
    }

    void kicked() {
        this.kicks.increment();
    }

    void deadConnection() {
        this.deadConnections.increment();
    }

    private Timer publishTimer(int qos, String outcome) {
        return Timer.builder("gateway.publish")
            .description("Time to publish a message, including any connect")
            .tag("outcome", outcome)
            .tag("qos", Integer.toString(qos))
            .publishPercentileHistogram()
            .register(this.registry);
    }

    private DistributionSummary payloadSize(int qos) {
        return DistributionSummary.builder("gateway.publish.payload")
            .description("Payload sizes of published messages")
            .baseUnit("bytes")
            .tag("qos", Integer.toString(qos))
            .register(this.registry);
    }

    private static String tag(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
