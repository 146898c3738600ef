package io.iotgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

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

/**
 * No API key reaches the log, at any level: Tomcat logs the whole line of a header it cannot parse (INFO the first
 * time, DEBUG after) and, at TRACE, every request's raw bytes. Runs with the root logger at DEBUG and Tomcat at
 * TRACE, as an operator chasing a problem might.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "logging.level.root=DEBUG", "logging.level.org.apache=TRACE" })
class ApiKeyLoggingIntegrationTests {

    private static final String SPACE_BEFORE_COLON = "space-before-colon-key-4b1d7c2e9f";

    private static final String CONTROL_CHARACTER = "control-character-key-8e3a6f0c1d";

    private static final String BEARER_SPACE = "bearer-space-key-2c7e9a4b6d";

    private static final String WRONG_KEY = "wrong-but-well-formed-key-5f8b1e3c7a";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void clients(DynamicPropertyRegistry registry) {
        ApiTestClients.register(registry);
    }

    @Test
    void noKeyOfAMalformedOrWellFormedRequestIsLogged(CapturedOutput output) throws IOException {
        List<String> malformed = List.of("X-API-Key : " + SPACE_BEFORE_COLON,
                "X-API-Key: " + CONTROL_CHARACTER + "\u0001", "Authorization : Bearer " + BEARER_SPACE,
                "X-API-Key : " + ApiTestClients.PUBLISHER_KEY, "Authorization: Bearer " + ApiTestClients.FLEET_KEY
                        + "\u0007");
        // twice each: Tomcat logs the first parse error at INFO and later ones at DEBUG
        for (int round = 0; round < 2; round++) {
            for (String header : malformed) {
                assertThat(send(header).status()).as(header).isEqualTo(400);
            }
        }
        assertThat(send("X-API-Key: " + WRONG_KEY).status()).isEqualTo(401);
        assertThat(send("X-API-Key: " + ApiTestClients.PUBLISHER_KEY).status()).isEqualTo(200);
        assertThat(send("Authorization: Bearer " + ApiTestClients.FLEET_KEY).status()).isEqualTo(200);

        // the run did log at DEBUG, Tomcat's connector included
        assertThat(output.getAll()).contains(" DEBUG ", "org.apache.tomcat.util.net.NioEndpoint");
        assertThat(output.getAll()).doesNotContain(SPACE_BEFORE_COLON, CONTROL_CHARACTER, BEARER_SPACE, WRONG_KEY,
                ApiTestClients.PUBLISHER_KEY, ApiTestClients.FLEET_KEY);
    }

    private Answer send(String keyHeader) throws IOException {
        return new RawHttp(this.port).send("GET /api/v1/devices HTTP/1.1\r\nHost: localhost\r\n" + keyHeader,
                "".getBytes(StandardCharsets.UTF_8));
    }
}
