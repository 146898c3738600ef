package io.iotgateway;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.iotgateway.emulator.PlatformEmulator;
import io.iotgateway.emulator.ReceivedMessage;
import io.iotgateway.testsupport.GatewayHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thing-model posts as a newcomer makes them, with no configuration: the gateway posts Alink for the demo
 * device, and the embedded emulator checks it against the demo product's thing model and replies on the device's
 * {@code _reply} topic, the way the platform does. The README's examples, and the platform's verdicts mapped to
 * HTTP.
 * <p>
 * The one property (the default value, written out) gives this class a context of its own:
 * {@link OutOfTheBoxIntegrationTests} reads the start-up log of the context it shares with no one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gateway.thing.reply-timeout=5s")
class OutOfTheBoxThingModelIntegrationTests {

    private static final String DEVICE_PATH = "/api/v1/devices/a61QmwQD5ZF/mosheep";

    private static final String PROPERTY_TOPIC = "/sys/a61QmwQD5ZF/mosheep/thing/event/property/post";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    PlatformEmulator emulator;

    private GatewayHttpClient http;

    @BeforeEach
    void client() {
        this.http = new GatewayHttpClient(this.port);
        this.emulator.inbox().clear();
    }

    @Test
    void readmePropertyPostIsAcceptedByTheDemoModel() throws InterruptedException {
        HttpResponse<String> answer = post("/properties", "{\"temperature\": 23.5, \"humidity\": 41}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode receipt = JSON.readTree(answer.body());
        assertThat(receipt.get("code").asInt()).isEqualTo(200);
        assertThat(receipt.get("topic").asString()).isEqualTo(PROPERTY_TOPIC);
        ReceivedMessage request = this.emulator.inbox()
            .awaitMessage(message -> message.topic().equals(PROPERTY_TOPIC), Duration.ofSeconds(10))
            .orElseThrow();
        JsonNode alink = JSON.readTree(request.payload());
        assertThat(alink.get("id").asString()).isEqualTo(receipt.get("alinkId").asString());
        assertThat(alink.get("params").get("temperature").decimalValue()).isEqualByComparingTo("23.5");
    }

    @Test
    void aValueOutsideTheModelsRangeIsRefusedWithThePlatformsCode() {
        HttpResponse<String> answer = post("/properties", "{\"humidity\": 150}");

        assertRefusedWith460(answer);
    }

    @Test
    void anIdentifierTheModelDoesNotHaveIsRefused() {
        assertRefusedWith460(post("/properties", "{\"colour\": \"red\"}"));
    }

    @Test
    void aFloatKeepsTheDecimalPointItWasWrittenWith() {
        // Alink wants a decimal point on float values: the gateway must not turn 23.0 into 23, and does not add one
        assertThat(post("/properties", "{\"temperature\": 23.0}").statusCode()).isEqualTo(200);
        assertRefusedWith460(post("/properties", "{\"temperature\": 23}"));
    }

    @Test
    void eventsAreCheckedAgainstTheirOutputParameters() {
        HttpResponse<String> accepted = post("/events/overheat", "{\"temperature\": 99.5}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(JSON.readTree(accepted.body()).get("code").asInt()).isEqualTo(200);

        assertRefusedWith460(post("/events/lowBattery", "{\"level\": 101}"));
        assertRefusedWith460(post("/events/meltdown", "{}"));
    }

    @Test
    void withoutAcknowledgementTheAnswerFollowsThePubackAndNoReplyIsAwaited() {
        HttpResponse<String> answer = post("/properties?ack=0", "{\"humidity\": 150}");

        // sys.ack = 0: the platform (and the emulator) sends no verdict, so even refused data is answered after the PUBACK
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode receipt = JSON.readTree(answer.body());
        assertThat(receipt.get("status").asString()).isEqualTo("acknowledged");
        assertThat(receipt.path("code").isNull() || receipt.path("code").isMissingNode()).isTrue();
    }

    private void assertRefusedWith460(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(answer.body()).get("platformCode").asInt()).isEqualTo(460);
    }

    private HttpResponse<String> post(String path, String json) {
        return this.http.post(DEVICE_PATH + path, "application/json", json);
    }
}
