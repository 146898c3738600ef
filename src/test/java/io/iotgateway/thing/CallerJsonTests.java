package io.iotgateway.thing;

import java.nio.charset.StandardCharsets;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CallerJsonTests {

    private final CallerJson json = new CallerJson(JsonMapper.builder().build());

    @Test
    void numbersReachThePlatformExactlyAsTheCallerWroteThem() {
        String body = "{ \"temperature\": 1.0, \"humidity\": 40, \"a\": 1.50, \"b\": -0.0, \"c\": 1e3, \"d\": 2.5E-3,\n"
                + "  \"e\": 123456789012345678901234567890, \"f\": {\"value\": 21.0, \"time\": 1524448722000},"
                + " \"g\": [1.0, \"x\", true, null] }";

        assertThat(copy(body, false)).isEqualTo("{\"temperature\":1.0,\"humidity\":40,\"a\":1.50,\"b\":-0.0,"
                + "\"c\":1e3,\"d\":2.5E-3,\"e\":123456789012345678901234567890,"
                + "\"f\":{\"value\":21.0,\"time\":1524448722000},\"g\":[1.0,\"x\",true,null]}");
    }

    @Test
    void stringsAreWrittenAgainAsValidJson() {
        assertThat(copy("{\"label\":\"barn \\\"3\\\" \\u00e9\"}", false)).isEqualTo("{\"label\":\"barn \\\"3\\\" é\"}");
    }

    @Test
    void anEmptyObjectIsRefusedOrAcceptedAsAsked() {
        assertRefused("{}", ProblemType.INVALID_REQUEST, "empty");
        assertThat(copy("{}", true)).isEqualTo("{}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "[1]", "21.5", "\"x\"", "null", "", "{\"a\":1", "{\"a\":1}{}", "{\"a\":1,\"a\":2}",
            "{a:1}" })
    void anythingButOneWellFormedObjectIsA400(String body) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> copy(body, false))
            .satisfies(refused -> assertThat(refused.problemType()).isEqualTo(ProblemType.INVALID_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"tempé\":1}", "{\"a-b\":1}", "{\"\":1}",
            "{\"x123456789012345678901234567890123456789012345678901\":1}" })
    void keysMustBeIdentifiers(String body) {
        assertRefused(body, ProblemType.INVALID_IDENTIFIER, "letters, digits and _");
    }

    private String copy(String body, boolean mayBeEmpty) {
        return new String(this.json.object(body.getBytes(StandardCharsets.UTF_8), "property", mayBeEmpty),
                StandardCharsets.UTF_8);
    }

    private void assertRefused(String body, ProblemType problem, String detail) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> copy(body, false))
            .satisfies(refused -> {
                assertThat(refused.problemType()).isEqualTo(problem);
                assertThat(refused.getBody().getDetail()).contains(detail);
            });
    }
}
