package io.iotgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.iotgateway.testsupport.RawHttp;
import io.iotgateway.testsupport.RawHttp.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guessing keys is throttled per client address: after {@code max-failures} failed authentications within the
 * window, every request from that address that carries a key gets 429 with {@code Retry-After} until the window
 * ends, the right key included (or a 200 would tell the guess was right); logged once per window.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "gateway.security.failure-limit.max-failures=5", "gateway.security.failure-limit.window=3s" })
class AuthenticationFailureLimitIntegrationTests {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void clients(DynamicPropertyRegistry registry) {
        ApiTestClients.register(registry);
    }

    @Test
    void wrongKeysFromOneAddressAreAnswered429UntilTheWindowEnds(CapturedOutput output) throws IOException {
        for (int i = 0; i < 5; i++) {
            assertThat(get("X-API-Key: wrong-key-number-" + i).status()).isEqualTo(401);
        }

        Answer throttled = get("X-API-Key: wrong-key-number-5");
        Answer rightKey = get("Authorization: Bearer " + ApiTestClients.PUBLISHER_KEY);
        for (int i = 0; i < 50; i++) {
            assertThat(get("X-API-Key: another-wrong-key-" + i).status()).isEqualTo(429);
        }

        for (Answer answer : java.util.List.of(throttled, rightKey)) {
            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.body()).contains("\"type\":\"urn:iot-gateway:problem:authentication-throttled\"",
                    "\"status\":429", "\"retryAfterSeconds\":");
            assertThat(Integer.parseInt(answer.headers().get("retry-after"))).isBetween(1, 3);
        }
        // requests without a key guess nothing: the probes still answer
        assertThat(new RawHttp(this.port).send("GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost",
                new byte[0]).status()).isEqualTo(200);
        assertThat(output.getAll().split("Too many failed authentications from ", -1)).hasSize(2);
        assertThat(output.getAll()).doesNotContain("wrong-key-number", ApiTestClients.PUBLISHER_KEY);

        await().atMost(Duration.ofSeconds(6))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> assertThat(get("X-API-Key: " + ApiTestClients.PUBLISHER_KEY).status())
                .isEqualTo(200));
    }

    private Answer get(String keyHeader) throws IOException {
        return new RawHttp(this.port).send("GET /api/v1/devices HTTP/1.1\r\nHost: localhost\r\n" + keyHeader,
                "".getBytes(StandardCharsets.UTF_8));
    }
}
