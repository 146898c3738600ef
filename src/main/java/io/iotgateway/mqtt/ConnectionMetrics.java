package io.iotgateway.mqtt;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Supplier;

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
 * the fleet.
 */
final class ConnectionMetrics {

    private final MeterRegistry registry;

    private final Counter kicks;

    ConnectionMetrics(MeterRegistry registry, Supplier<Collection<ConnectionStatus>> statuses) {
        this.registry = registry;
        this.kicks = Counter.builder("gateway.connections.kicks")
            .description("Connections closed because another client logged in as the device")
            .register(registry);
        for (ConnectionState state : ConnectionState.values()) {
            Gauge.builder("gateway.connections", statuses,
                    all -> all.get().stream().filter(status -> status.state() == state).count())
                .description("Device connections by state")
                .tag("state", tag(state.name()))
                // Micrometer holds a gauge's state weakly; this supplier lives nowhere else
                .strongReference(true)
                .register(registry);
        }
    }

    /** One publish request, by outcome ({@code published} or the problem type) and QoS. */
    void published(int qos, @Nullable ProblemType problem, Duration took, int payloadBytes) {
        String outcome = (problem != null) ? tag(problem.name()) : "published";
        Timer.builder("gateway.publish")
            .description("Time to publish a message, including any connect")
            .tag("outcome", outcome)
            .tag("qos", Integer.toString(qos))
            .publishPercentileHistogram()
            .register(this.registry)
            .record(took);
        if (problem == null) {
            DistributionSummary.builder("gateway.publish.payload")
                .description("Payload sizes of published messages")
                .baseUnit("bytes")
                .tag("qos", Integer.toString(qos))
                .register(this.registry)
                .record(payloadBytes);
        }
    }

    /** One connection attempt: {@code connected} or the problem it ran into. */
    void connectAttempt(@Nullable ProblemType problem) {
        Counter.builder("gateway.connects")
            .description("Connection attempts to the IoT Platform by result")
            .tag("result", (problem != null) ? tag(problem.name()) : "connected")
            .register(this.registry)
            .increment();
    }

    void kicked() {
        this.kicks.increment();
    }

    private static String tag(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
