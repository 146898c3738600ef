package io.iotgateway.message;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.iotgateway.testsupport.GatewayHttpClient;
import io.iotgateway.testsupport.MqttTestSubscriber;
import io.iotgateway.testsupport.MqttTestSubscriber.Received;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static io.iotgateway.testsupport.TestDevices.SHEEP_PATH;
import static io.iotgateway.testsupport.TestDevices.SHEEP_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The happy path end to end, over real HTTP to a real broker that checks the device's signed login: the exact
 * bytes arrive on the exact topic at the requested QoS. Subclasses supply the broker.
 */
abstract class PublishScenario {

    @LocalServerPort
    int port;

    GatewayHttpClient http;

    MqttTestSubscriber subscriber;

    abstract String brokerUri();

    @BeforeEach
    void subscribe() throws Exception {
        this.http = new GatewayHttpClient(this.port);
        this.subscriber = MqttTestSubscriber.connect(brokerUri(), TestDevices.OBSERVER, TestDevices.OBSERVER_PASSWORD,
                "/" + TestDevices.PRODUCT_KEY + "/#");
    }

    @AfterEach
    void closeSubscriber() {
        this.subscriber.close();
    }

    @Test
    void formEncodedBodyOfTheClassicExampleArrivesUntouchedAtQos1() {
        // curl -d sends application/x-www-form-urlencoded; the body is not valid JSON either
        byte[] body = "{id:\"0001\",data:\"hello world\"}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = this.http.post(SHEEP_PATH, "application/x-www-form-urlencoded", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"topic\":\"" + SHEEP_TOPIC + "\"", "\"qos\":1", "\"payloadBytes\":30",
                "\"status\":\"acknowledged\"", "\"messageId\"");
        assertThat(this.subscriber.awaitMessages(1, Duration.ofSeconds(10)))
            .containsExactly(new Received(SHEEP_TOPIC, body, 1));
    }

    @Test
    void formFieldsAreNotRebuiltFromTheQuery() {
        byte[] body = "a=b&c=d+e%20f&g".getBytes(StandardCharsets.UTF_8);

        // a query string as well: Tomcat would merge it with the form fields if anything read them as parameters
        HttpResponse<String> response = this.http.post(SHEEP_PATH + "?qos=1", "application/x-www-form-urlencoded",
                body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(this.subscriber.awaitMessages(1, Duration.ofSeconds(10)))
            .containsExactly(new Received(SHEEP_TOPIC, body, 1));
    }

    @Test
    void binaryBodyArrivesUntouchedAtQos0() {
        byte[] body = new byte[512];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }

        HttpResponse<String> response = this.http.post(SHEEP_PATH + "?qos=0", "application/octet-stream", body);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"qos\":0", "\"status\":\"sent\"", "\"payloadBytes\":512");
        List<Received> received = this.subscriber.awaitMessages(1, Duration.ofSeconds(10));
        assertThat(received).containsExactly(new Received(SHEEP_TOPIC, body, 0));
    }

    @Test
    void severalTopicLevelsArePublishedToTheNestedTopic() {
        byte[] body = "21.5".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = this.http.post(SHEEP_PATH.replace("/sheep", "/sensors/temp_1"), "text/plain",
                body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(this.subscriber.awaitMessages(1, Duration.ofSeconds(10))).containsExactly(
                new Received(SHEEP_TOPIC.replace("/sheep", "/sensors/temp_1"), body, 1));
    }

    @Test
    void largestAllowedPayloadIsPublished() {
        byte[] body = new byte[256 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');

        HttpResponse<String> response = this.http.post(SHEEP_PATH, "application/octet-stream", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(this.subscriber.awaitMessages(1, Duration.ofSeconds(10)).get(0).payload()).isEqualTo(body);
    }
}
