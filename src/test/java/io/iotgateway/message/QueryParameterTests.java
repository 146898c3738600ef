package io.iotgateway.message;

import io.iotgateway.web.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class QueryParameterTests {

    @Test
    void readsQosFromTheRawQuery() {
        assertThat(qos(null)).isNull();
        assertThat(qos("")).isNull();
        assertThat(qos("qos=0")).isEqualTo("0");
        assertThat(qos("%71os=%31")).isEqualTo("1");
        assertThat(qos("qos=1&")).isEqualTo("1");
        assertThat(qos("qos")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "QOS=0", "Qos=1", "qos=0&retain=1", "qos0", "q=1", "=1", "%00=1" })
    void refusesEveryOtherParameter(String query) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> qos(query))
            .satisfies(refused -> {
                assertThat(refused.getStatusCode().value()).isEqualTo(400);
                assertThat(refused.getBody().getDetail()).contains("Unknown query parameter", "only qos")
                    .doesNotContain("\u0000");
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "%G1", "qos=%G1", "qos=1%", "q%6" })
    void aBrokenEscapeIsRefusedWhereItIsDecoded(String query) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> qos(query))
            .satisfies(refused -> {
                assertThat(refused.getStatusCode().value()).isEqualTo(400);
                assertThat(refused.getBody().getDetail()).contains("not followed by two hex digits");
            });
    }

    @Test
    void refusesQosGivenTwice() {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> qos("qos=1&qos=0"))
            .withMessageContaining("given 2 times");
    }

    private static String qos(String query) {
        return QueryParameter.single(query, "qos", "publishing");
    }
}
