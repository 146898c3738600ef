package io.iotgateway.message;

import io.iotgateway.web.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PublishQueryTests {

    @Test
    void readsQosFromTheRawQuery() {
        assertThat(PublishQuery.parse(null).qos()).isNull();
        assertThat(PublishQuery.parse("").qos()).isNull();
        assertThat(PublishQuery.parse("qos=0").qos()).isEqualTo("0");
        assertThat(PublishQuery.parse("%71os=%31").qos()).isEqualTo("1");
        assertThat(PublishQuery.parse("qos=1&").qos()).isEqualTo("1");
        assertThat(PublishQuery.parse("qos").qos()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "QOS=0", "Qos=1", "qos=0&retain=1", "qos0", "q=1", "=1", "%00=1" })
    void refusesEveryOtherParameter(String query) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> PublishQuery.parse(query))
            .satisfies(refused -> {
                assertThat(refused.getStatusCode().value()).isEqualTo(400);
                assertThat(refused.getBody().getDetail()).contains("Unknown query parameter", "only qos")
                    .doesNotContain("\u0000");
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "%G1", "qos=%G1", "qos=1%", "q%6" })
    void aBrokenEscapeIsRefusedWhereItIsDecoded(String query) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> PublishQuery.parse(query))
            .satisfies(refused -> {
                assertThat(refused.getStatusCode().value()).isEqualTo(400);
                assertThat(refused.getBody().getDetail()).contains("not followed by two hex digits");
            });
    }

    @Test
    void refusesQosGivenTwice() {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> PublishQuery.parse("qos=1&qos=0"))
            .withMessageContaining("given 2 times");
    }
}
