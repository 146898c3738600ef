package io.iotgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.iotgateway.testsupport.EnabledIfMosquittoInstalled;
import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MosquittoBroker;
import io.iotgateway.testsupport.MosquittoConfig;
import io.iotgateway.testsupport.MqttTestSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as Kubernetes stops it: a separate JVM gets SIGTERM while requests are flowing. It stops taking
 * requests, finishes the ones in flight, disconnects its devices and exits 0; every message it answered 200 for
 * reached the broker.
 */
@EnabledIfMosquittoInstalled
class GracefulShutdownIntegrationTests {

    private static final String TOPIC = "/a61QmwQD5ZF/mosheep/user/sheep";

    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");

    @Test
    void sigtermDrainsRequestsDisconnectsAndExitsZero(@TempDir Path dir) throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoConfig.anonymous());
                MqttTestSubscriber subscriber = MqttTestSubscriber.connect(broker.uri(), "observer", "any", TOPIC)) {
            int port = freePort();
            GatewayHttpClient http = new GatewayHttpClient(port).withTimeout(Duration.ofSeconds(20));
            Path log = dir.resolve("gateway.log");
            Process gateway = startGateway(broker.uri(), port, log, dir.resolve("data"));
            try {
                awaitReady(http);
                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                Set<String> otherStatuses = ConcurrentHashMap.newKeySet();
                AtomicBoolean stop = new AtomicBoolean();
                try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int sender = 0; sender < 8; sender++) {
                        int id = sender;
                        senders.execute(() -> send(http, id, stop, acknowledged, otherStatuses));
                    }
                    await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 100);
                    gateway.destroy(); // SIGTERM
                    assertThat(gateway.waitFor(40, TimeUnit.SECONDS)).as("gateway exited").isTrue();
                    stop.set(true);
                }

                assertThat(gateway.exitValue()).isZero();
                // each other answer as its status and problem type, so that a failure says what it was
                assertThat(otherStatuses).as("answers other than 200 during shutdown")
                    .allSatisfy(answer -> assertThat(answer).startsWith("503 "));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        subscriber.messages().stream().map(message -> message.payloadAsString()).toList())
                    .containsAll(acknowledged));
                assertThat(Files.readString(log)).contains("Disconnected 1 device connection(s)");
            }
            finally {
                gateway.destroyForcibly();
            }
        }
    }

    private static void send(GatewayHttpClient http, int sender, AtomicBoolean stop, Set<String> acknowledged,
            Set<String> others) {
        for (int n = 0; !stop.get(); n++) {
            String body = "sender " + sender + " message " + n;
            try {
                HttpResponse<String> response = http.post("/api/v1/devices/a61QmwQD5ZF/mosheep/user/sheep", null, body);
                if (response.statusCode() == 200) {
                    acknowledged.add(body);
                }
                else {
                    Matcher type = PROBLEM_TYPE.matcher(response.body());
                    others.add(response.statusCode() + " " + (type.find() ? type.group(1) : response.body()));
                }
            }
            catch (UncheckedIOException ex) {
                // the listener is closed: the gateway no longer takes requests
                return;
            }
        }
    }

    private static Process startGateway(String brokerUri, int port, Path log, Path dataDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName(), "--server.port=" + port, "--gateway.data-dir=" + dataDir,
                "--gateway.platform.endpoint=" + brokerUri, "--gateway.security.open=true", "--gateway.devices[0].product-key=a61QmwQD5ZF",
                "--gateway.devices[0].device-name=mosheep", "--gateway.devices[0].device-secret=shutdown-test-secret",
                // eight senders for one device: far over the platform's 10 QoS 1 messages per second
                "--gateway.message.rate-limit.qos1-per-second=10000");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(GatewayHttpClient http) {
        await().atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(() -> http.get("/actuator/health/readiness").statusCode() == 200);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
