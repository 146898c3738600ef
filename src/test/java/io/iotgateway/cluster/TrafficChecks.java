package io.iotgateway.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.iotgateway.cluster.Traffic.Exchange;
import io.iotgateway.testsupport.MqttTestSubscriber.Received;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * What the cluster tests assert on the {@link Traffic}'s exchanges and the broker's side, each failure naming the
 * exchanges that broke the rule; and the figures a scenario measured, printed as one parseable line.
 */
final class TrafficChecks {

    /** The prefix of every figures line: {@code CLUSTER-FIGURES scenario=<name> key=value ...}. */
    static final String FIGURES = "CLUSTER-FIGURES";

    private static final int SHOWN = 10;

    private TrafficChecks() {
    }

    /** A 200, or a 503 that says when to retry: what callers may see while devices move. */
    static boolean acknowledgedOrRetryLater(Exchange exchange) {
        return exchange.status() == 200 || (exchange.status() == 503 && exchange.retryAfter() != null);
    }

    /**
     * {@link #acknowledgedOrRetryLater}, or a 504 that says when to retry: the owner a request was forwarded to did
     * not answer within the forward timeout (a member frozen or killed before the others noticed).
     */
    static boolean acknowledgedOrRetryLaterOrTimedOutAtOwner(Exchange exchange) {
        return acknowledgedOrRetryLater(exchange) || (exchange.status() == 504 && exchange.retryAfter() != null);
    }

    /**
     * Waits at most {@code timeout} until the broker received the payload of every acknowledged (200) exchange on
     * its device's topic: QoS 1 is answered after the PUBACK, so each of them was the broker's.
     */
    static void assertAcknowledgedReceived(List<Exchange> exchanges, Supplier<List<Received>> received,
            Duration timeout) {
        List<Exchange> acknowledged = exchanges.stream().filter(Exchange::acknowledged).toList();
        List<Exchange> missing = new ArrayList<>(acknowledged);
        try {
            await("the broker's copy of %d acknowledged messages".formatted(acknowledged.size())).atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Set<String> seen = keys(received.get());
                    missing.removeIf((exchange) -> seen.contains(key(exchange)));
                    return missing.isEmpty();
                });
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError(missing.size() + " of " + acknowledged.size()
                    + " acknowledged (200) messages never reached the broker within " + timeout.toSeconds()
                    + " s, e.g. " + describe(missing), ex);
        }
    }

    /** Fails, naming them, if some exchanges break {@code rule}. */
    static void assertAnswers(List<Exchange> exchanges, Predicate<Exchange> allowed, String rule) {
        List<Exchange> broken = exchanges.stream().filter(allowed.negate()).toList();
        if (!broken.isEmpty()) {
            throw new AssertionError(broken.size() + " of " + exchanges.size() + " answers break the rule \"" + rule
                    + "\": " + outcomes(broken) + ", e.g. " + describe(broken) + "; all answers: "
                    + outcomes(exchanges));
        }
    }

    /** Exchanges by {@link Exchange#outcome()}, sorted. */
    static Map<String, Long> outcomes(Collection<Exchange> exchanges) {
        return count(exchanges, Exchange::outcome);
    }

    /** Exchanges by the replica they were sent to, sorted. */
    static Map<String, Long> byReplica(Collection<Exchange> exchanges) {
        return count(exchanges, Exchange::replica);
    }

    /** The exchanges sent at or after {@code nanos} ({@link System#nanoTime()}). */
    static List<Exchange> sentSince(List<Exchange> exchanges, long nanos) {
        return exchanges.stream().filter((exchange) -> exchange.sentNanos() - nanos >= 0).toList();
    }

    /**
     * For each device, how long after {@code nanos} the first acknowledged exchange sent at or after it was
     * answered; devices without one are left out.
     */
    static Map<String, Duration> firstAcknowledgedAfter(List<Exchange> exchanges, Collection<String> devices,
            long nanos) {
        Set<String> wanted = new HashSet<>(devices);
        Map<String, Duration> first = new TreeMap<>();
        for (Exchange exchange : sentSince(exchanges, nanos)) {
            if (exchange.acknowledged() && wanted.contains(exchange.device())) {
                Duration after = Duration.ofNanos(exchange.answeredNanos() - nanos);
                first.merge(exchange.device(), after, (a, b) -> (a.compareTo(b) <= 0) ? a : b);
            }
        }
        return first;
    }

    /** The largest, median and smallest of some durations, in milliseconds. */
    static Map<String, Long> spread(String name, Collection<Duration> durations) {
        List<Long> millis = durations.stream().map(Duration::toMillis).sorted().toList();
        Map<String, Long> figures = new LinkedHashMap<>();
        if (millis.isEmpty()) {
            return figures;
        }
        figures.put(name + "MaxMs", millis.get(millis.size() - 1));
        figures.put(name + "MedianMs", millis.get(millis.size() / 2));
        figures.put(name + "MinMs", millis.get(0));
        return figures;
    }

    /**
     * Prints {@code CLUSTER-FIGURES scenario=<name> key=value ...} (values without spaces) and appends it to
     * {@code figures.txt} in {@code output}.
     */
    static String printFigures(Path output, String scenario, Map<String, ?> figures) {
        String line = FIGURES + " scenario=" + scenario + figures.entrySet()
            .stream()
            .map((figure) -> " " + figure.getKey() + "="
                    + String.valueOf(figure.getValue()).replace(", ", ",").replace(' ', '_'))
            .collect(Collectors.joining());
        System.out.println(line);
        try {
            Files.writeString(output.resolve("figures.txt"), line + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return line;
    }

    private static Map<String, Long> count(Collection<Exchange> exchanges, Function<Exchange, String> key) {
        return exchanges.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    private static Set<String> keys(List<Received> received) {
        Set<String> keys = new HashSet<>(received.size() * 2);
        received.forEach((message) -> keys.add(message.topic() + " " + message.payloadAsString()));
        return keys;
    }

    private static String key(Exchange exchange) {
        return ClusterDevices.brokerTopic(exchange.device()) + " " + exchange.payload();
    }

    private static String describe(List<Exchange> exchanges) {
        return exchanges.stream()
            .limit(SHOWN)
            .map((exchange) -> "#" + exchange.sequence() + " " + exchange.device() + " via " + exchange.replica()
                    + ": " + exchange.outcome() + ((exchange.retryAfter() != null)
                            ? " Retry-After " + exchange.retryAfter() : "")
                    + ((exchange.error() != null) ? " (" + exchange.error() + ")" : "") + " after "
                    + exchange.latency().toMillis() + " ms")
            .collect(Collectors.joining("; "));
    }

}
