package io.iotgateway.mqtt;

import java.time.Duration;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpHeaders;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.GenericMessage;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayFailureTests {

    private static final DeviceId DEVICE = new DeviceId("a61QmwQD5ZF", "mosheep");

    @ParameterizedTest
    @CsvSource({ "4, CREDENTIALS_REJECTED", "5, CREDENTIALS_REJECTED", "2, CREDENTIALS_REJECTED",
            "3, PLATFORM_UNAVAILABLE", "32103, PLATFORM_UNAVAILABLE", "32000, PLATFORM_TIMEOUT" })
    void connectFailuresAreReadFromTheReasonCode(int reasonCode, ProblemType expected) {
        GatewayFailure failure = GatewayFailure.ofConnect(new MqttException(reasonCode));

        assertThat(failure.connectionGone()).isTrue();
        assertThat(failure.problemType()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({ "32000, PLATFORM_TIMEOUT, false", "32104, PLATFORM_UNAVAILABLE, true",
            "32109, PLATFORM_UNAVAILABLE, true", "32202, DEVICE_BUSY, false" })
    void publishFailuresAreReadFromTheReasonCode(int reasonCode, ProblemType expected, boolean connectionGone) {
        GatewayFailure failure = GatewayFailure.ofPublish(publishFailure(reasonCode));

        assertThat(failure.problemType()).isEqualTo(expected);
        assertThat(failure.connectionGone()).isEqualTo(connectionGone);
    }

    @Test
    void noConnectedLoginForTheHandlerMeansTheConnectionIsGone() {
        // how Spring Integration 7's MqttPahoMessageHandler reports that the factory had no client for it
        GatewayFailure failure = GatewayFailure.ofPublish(new MessageHandlingException(new GenericMessage<>("x"),
                new MessagingException("Failed to connect",
                        new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED))));

        assertThat(failure.problemType()).isEqualTo(ProblemType.PLATFORM_UNAVAILABLE);
        assertThat(failure.connectionGone()).isTrue();
    }

    @Test
    void rejectedCredentialsNameTheConnackCodeAndWhatToCheck() {
        GatewayException exception = GatewayFailure.ofConnect(new MqttException(4)).toException(DEVICE, Duration.ofSeconds(60));

        assertThat(exception.getStatusCode().value()).isEqualTo(502);
        assertThat(exception.getBody().getDetail()).contains("a61QmwQD5ZF/mosheep", "CONNACK 4", "device secret");
        assertThat(exception.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("60");
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        GatewayException exception = GatewayFailure.ofConnect(new MqttException(32103))
            .toException(DEVICE, Duration.ofMillis(1200));

        assertThat(exception.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(exception.getBody().getProperties()).containsEntry("retryAfterSeconds", 2L);
    }

    private static RuntimeException publishFailure(int reasonCode) {
        return new MessageHandlingException(new GenericMessage<>("x"), "Failed to publish to MQTT",
                new MqttException(reasonCode));
    }
}
