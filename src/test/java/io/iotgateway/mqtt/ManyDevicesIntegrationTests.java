package io.iotgateway.mqtt;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of devices connected at once cost no platform threads of their own: Paho runs on virtual threads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManyDevicesIntegrationTests {

    private static final int DEVICES = 300;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void devices(DynamicPropertyRegistry registry) {
        for (int i = 0; i < DEVICES; i++) {
            String deviceName = "herd" + i;
            registry.add("gateway.devices[" + i + "].product-key", () -> "a61QmwQD5ZF");
            registry.add("gateway.devices[" + i + "].device-name", () -> deviceName);
            registry.add("gateway.devices[" + i + "].device-secret", () -> "herd-secret-" + deviceName);
        }
    }

    @Test
    void connectingHundredsOfDevicesAddsNoPlatformThreadPerDevice() throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        int platformThreadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Callable<Integer>> firstMessages = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            URI uri = URI.create("http://127.0.0.1:" + this.port + "/api/v1/devices/a61QmwQD5ZF/herd" + i + "/user/count");
            firstMessages.add(() -> http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("1"))
                .build(), BodyHandlers.discarding()).statusCode());
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : senders.invokeAll(firstMessages)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).containsOnly(200);
        int platformThreadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        // stock Paho would add about 4 x 300 = 1,200 threads
        assertThat(platformThreadsAfter - platformThreadsBefore).isLessThan(40);
    }
}
