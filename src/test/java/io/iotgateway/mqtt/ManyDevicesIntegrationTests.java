package io.iotgateway.mqtt;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hundreds of devices, connected ahead of traffic by the warm-up, cost no platform threads of their own (Paho runs
 * on virtual threads), and their first messages find the connection open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManyDevicesIntegrationTests {

    private static final int DEVICES = 300;

    @LocalServerPort
    int port;

    @Autowired
    DevicePublisher publisher;

    @DynamicPropertySource
    static void devices(DynamicPropertyRegistry registry) {
        registry.add("gateway.mqtt.warm-up", () -> "true");
        registry.add("gateway.mqtt.max-connects-per-second", () -> "200");
        TestDevices.registerNumbered(registry, "herd", DEVICES);
    }

    @Test
    void warmUpConnectsEveryDeviceWithoutPlatformThreadsPerDevice() throws Exception {
        // 300 devices (and the emulator's demo device) at 200 connects per second: about two seconds
        await().atMost(Duration.ofSeconds(30))
            .until(() -> this.publisher.statuses()
                .stream()
                .filter(status -> status.state() == ConnectionState.CONNECTED)
                .count() >= DEVICES);
        int platformThreads = ManagementFactory.getThreadMXBean().getThreadCount();
        // stock Paho would run about 4 x 300 = 1,200 threads for these connections
        assertThat(platformThreads).isLessThan(150);

        List<Integer> statuses = firstMessageToEveryDevice();

        assertThat(statuses).containsOnly(200);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(platformThreads + 40);
        HttpResponse<String> metrics = new GatewayHttpClient(this.port).get("/actuator/prometheus");
        assertThat(metrics.body()).contains("gateway_connections{state=\"connected\"} " + (DEVICES + 1),
                "gateway_connects_total{result=\"connected\"} " + (DEVICES + 1),
                "gateway_publish_seconds_count{outcome=\"published\",qos=\"1\"} " + DEVICES)
            .doesNotContain("herd1");
    }

    private List<Integer> firstMessageToEveryDevice() throws Exception {
        // the client sends on virtual threads: the thread counts of the test measure the gateway, not the client
        GatewayHttpClient http = new GatewayHttpClient(this.port);
        List<Callable<Integer>> firstMessages = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String path = "/api/v1/devices/a61QmwQD5ZF/herd" + i + "/user/count";
            firstMessages.add(() -> http.post(path, null, "1").statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : senders.invokeAll(firstMessages)) {
                statuses.add(status.get());
            }
        }
        return statuses;
    }
}
