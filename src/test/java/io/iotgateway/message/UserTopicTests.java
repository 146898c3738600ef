package io.iotgateway.message;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UserTopicTests {

    private static final DeviceId MOSHEEP = new DeviceId("a61QmwQD5ZF", "mosheep");

    @Test
    void buildsTheDevicesCustomTopic() {
        assertThat(UserTopic.of(MOSHEEP, "sheep")).isEqualTo("/a61QmwQD5ZF/mosheep/user/sheep");
        assertThat(UserTopic.of(MOSHEEP, "a/b_2/C")).isEqualTo("/a61QmwQD5ZF/mosheep/user/a/b_2/C");
    }

    @Test
    void allowsExactlySevenSlashes() {
        assertThat(UserTopic.of(MOSHEEP, "a/b/c/d")).isEqualTo("/a61QmwQD5ZF/mosheep/user/a/b/c/d");
        assertInvalid("a/b/c/d/e", "8 '/' separators");
    }

    @Test
    void allowsExactly128Bytes() {
        String prefix = "/a61QmwQD5ZF/mosheep/user/";
        String fits = "x".repeat(128 - prefix.length());
        assertThat(UserTopic.of(MOSHEEP, fits)).hasSize(128);
        assertInvalid(fits + "x", "129 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a//b", "a/", "/a" })
    void refusesEmptyLevels(String levels) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> UserTopic.of(MOSHEEP, levels))
            .satisfies(ex -> assertThat(ex.problemType()).isEqualTo(ProblemType.INVALID_TOPIC));
    }

    @ParameterizedTest
    @ValueSource(strings = { "+", "a/#", "sh+eep" })
    void refusesWildcards(String levels) {
        assertInvalid(levels, "wildcard");
    }

    @ParameterizedTest
    @ValueSource(strings = { "..", "sh eep", "schäfchen", "a-b", "tab\there", "nul\u0000" })
    void refusesCharactersThePlatformDoesNotAllow(String levels) {
        assertInvalid(levels, "only letters, digits and _");
    }

    @Test
    void keepsControlCharactersOutOfTheDetail() {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> UserTopic.of(MOSHEEP, "a\u001bb"))
            .satisfies(ex -> assertThat(ex.getBody().getDetail()).contains("\\u001b").doesNotContain("\u001b"));
    }

    private static void assertInvalid(String levels, String expectedDetail) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> UserTopic.of(MOSHEEP, levels))
            .satisfies(ex -> {
                assertThat(ex.problemType()).isEqualTo(ProblemType.INVALID_TOPIC);
                assertThat(ex.getBody().getDetail()).contains(expectedDetail);
            });
    }
}
