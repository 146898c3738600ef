package io.iotgateway.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.iotgateway.cluster.Traffic.Exchange;
import io.iotgateway.testsupport.MqttTestSubscriber.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The checks of the cluster tests fail when they should, and say on which exchanges. */
class TrafficChecksTests {

    private static final String DEVICE = ClusterDevices.PRODUCT_KEY + "/cl-dev-0001";

    @Test
    void everyAcknowledgedMessageMustReachTheBrokerOnItsDevicesTopic() {
        Exchange delivered = exchange(1, 200, null, 0);
        Exchange lost = exchange(2, 200, null, 0);
        Exchange refused = exchange(3, 503, "1", 0);
        List<Received> broker = new ArrayList<>(List.of(received(delivered),
                // the right payload on another device's topic is not the message
                new Received("/a1ClusterIt/cl-dev-0002/user/harness", lost.payload().getBytes(StandardCharsets.UTF_8),
                        1)));

        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> TrafficChecks.assertAcknowledgedReceived(List.of(delivered, lost, refused),
                    () -> broker, Duration.ofMillis(300)))
            .withMessageStartingWith("1 of 2 acknowledged (200) messages never reached the broker")
            .withMessageContaining("#2 " + DEVICE);

        broker.add(received(lost));
        assertThatNoException().isThrownBy(() -> TrafficChecks
            .assertAcknowledgedReceived(List.of(delivered, lost, refused), () -> broker, Duration.ofSeconds(2)));
    }

    @Test
    void answersOutsideTheAllowedOnesAreNamed() {
        List<Exchange> exchanges = List.of(exchange(1, 200, null, 0), exchange(2, 503, "2", 0),
                exchange(3, 503, null, 0), exchange(4, 500, null, 0));

        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> TrafficChecks.assertAnswers(exchanges, TrafficChecks::acknowledgedOrRetryLater,
                    "200 or 503 with Retry-After"))
            .withMessageStartingWith("2 of 4 answers break the rule \"200 or 503 with Retry-After\": {500=1, 503=1}")
            .withMessageContaining("#3 ")
            .withMessageContaining("#4 ");
        assertThatNoException().isThrownBy(() -> TrafficChecks.assertAnswers(exchanges.subList(0, 2),
                TrafficChecks::acknowledgedOrRetryLater, "200 or 503 with Retry-After"));
    }

    @Test
    void aTimeoutAtTheOwnerIsAllowedOnlyWithRetryAfterAndOnlyWhereSaid() {
        Exchange ownerTimeout = exchange(1, 504, "1", 0);

        assertThat(TrafficChecks.acknowledgedOrRetryLaterOrTimedOutAtOwner(ownerTimeout)).isTrue();
        assertThat(TrafficChecks.acknowledgedOrRetryLater(ownerTimeout)).isFalse();
        assertThat(TrafficChecks.acknowledgedOrRetryLaterOrTimedOutAtOwner(exchange(2, 504, null, 0))).isFalse();
        assertThat(TrafficChecks.acknowledgedOrRetryLaterOrTimedOutAtOwner(exchange(3, 503, "1", 0))).isTrue();
        assertThat(TrafficChecks.acknowledgedOrRetryLaterOrTimedOutAtOwner(exchange(4, 404, null, 0))).isFalse();
        assertThat(TrafficChecks.acknowledgedOrRetryLaterOrTimedOutAtOwner(exchange(5, Exchange.TIMED_OUT, null, 0)))
            .isFalse();
    }

    @Test
    void firstAcknowledgedAfterAMomentCountsOnlyRequestsSentSinceThen() {
        List<Exchange> exchanges = List.of(exchange(1, 200, null, 0), exchange(2, 503, "1", 1_000_000_000L),
                exchange(3, 200, null, 2_000_000_000L), exchange(4, 200, null, 3_000_000_000L));

        Map<String, Duration> first = TrafficChecks.firstAcknowledgedAfter(exchanges, List.of(DEVICE, "other/dev"),
                500_000_000L);

        // #3 was sent at 2 s and answered 10 ms later: 1.51 s after the moment
        assertThat(first).containsOnlyKeys(DEVICE).containsEntry(DEVICE, Duration.ofMillis(1510));
        assertThat(TrafficChecks.spread("republished", List.of(Duration.ofSeconds(3), Duration.ofSeconds(1),
                Duration.ofSeconds(2)))).containsExactly(Map.entry("republishedMaxMs", 3000L),
                        Map.entry("republishedMedianMs", 2000L), Map.entry("republishedMinMs", 1000L));
    }

    @Test
    void figuresAreOneParseableLineAppendedToTheFile(@TempDir Path output) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("answers", new TreeMap<>(Map.of("200", 3L, "503/device-moving", 1L)));
        figures.put("note", "a b");
        String line = TrafficChecks.printFigures(output, "steady-state", figures);
        TrafficChecks.printFigures(output, "kill", Map.of("replica", "r2"));

        assertThat(line).isEqualTo("CLUSTER-FIGURES scenario=steady-state answers={200=3,503/device-moving=1} note=a_b");
        assertThat(Files.readAllLines(output.resolve("figures.txt"))).containsExactly(line,
                "CLUSTER-FIGURES scenario=kill replica=r2");
    }

    private static Exchange exchange(long sequence, int status, String retryAfter, long sentNanos) {
        return new Exchange(sequence, "r1", DEVICE, "run/" + sequence + "/" + DEVICE, status, retryAfter, null, null,
                sentNanos, sentNanos + 10_000_000L);
    }

    private static Received received(Exchange exchange) {
        return new Received(ClusterDevices.brokerTopic(exchange.device()),
                exchange.payload().getBytes(StandardCharsets.UTF_8), 1);
    }

}
