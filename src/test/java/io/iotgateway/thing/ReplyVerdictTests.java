package io.iotgateway.thing;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ReplyVerdictTests {

    private static final DeviceId DEVICE = new DeviceId("a61QmwQD5ZF", "mosheep");

    @ParameterizedTest
    @CsvSource({ "460, THING_DATA_REFUSED, 422", "6813, THING_DATA_REFUSED, 422", "6106, THING_DATA_REFUSED, 422", "6207, THING_DATA_REFUSED, 422",
            "6300, THING_DATA_REFUSED, 422", "6100, PLATFORM_ERROR, 502", "6204, PLATFORM_ERROR, 502",
            "429, PLATFORM_THROTTLED, 429", "400, PLATFORM_ERROR, 502", "500, PLATFORM_ERROR, 502",
            "5159, PLATFORM_ERROR, 502", "100001, PLATFORM_ERROR, 502" })
    void aReplyCodeBecomesItsProblem(int code, ProblemType problem, int status) {
        GatewayException answer = ReplyVerdict.refusal(new AlinkReply("7", code, "bad\u0000 thing", null), DEVICE);

        assertThat(answer.problemType()).isEqualTo(problem);
        assertThat(answer.getStatusCode().value()).isEqualTo(status);
        assertThat(answer.getBody().getProperties()).containsEntry("platformCode", code)
            .containsEntry("alinkId", "7")
            .containsEntry("platformMessage", "bad? thing");
        assertThat(answer.getHeaders().containsHeader("Retry-After")).isEqualTo(code == 429);
    }

    @ParameterizedTest
    @CsvSource({ "200" })
    void code200IsAcceptance(int code) {
        assertThatNoException().isThrownBy(() -> ReplyVerdict.check(new AlinkReply("7", code, "success", null), DEVICE));
    }
}
