package io.iotgateway.emulator;

import io.iotgateway.credential.DeviceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PublishPolicyTests {

    private static final DeviceId SHEEP = new DeviceId("a61QmwQD5ZF", "mosheep");

    private final PublishPolicy policy = new PublishPolicy(256 * 1024);

    @ParameterizedTest
    @ValueSource(strings = { "/a61QmwQD5ZF/mosheep/user/sheep", "/a61QmwQD5ZF/mosheep/user/a/b/c",
            "/sys/a61QmwQD5ZF/mosheep/thing/event/property/post", "/sys/a61QmwQD5ZF/mosheep/thing/model/up_raw" })
    void allowsOwnUserAndSysTopics(String topic) {
        assertThat(this.policy.topicRefusal(SHEEP, topic)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/a61QmwQD5ZF/goat/user/sheep", "/b71QmwQD5ZF/mosheep/user/sheep",
            "/sys/a61QmwQD5ZF/goat/thing/event/property/post", "/a61QmwQD5ZF/mosheep/user/",
            "/a61QmwQD5ZF/mosheep/sheep", "a61QmwQD5ZF/mosheep/user/sheep", "/a61QmwQD5ZF/mosheepish/user/sheep" })
    void refusesTopicsOfOtherDevicesAndOutsideTheDevicePrefixes(String topic) {
        assertThat(this.policy.topicRefusal(SHEEP, topic))
            .hasValueSatisfying((reason) -> assertThat(reason).contains("may publish only under"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/a61QmwQD5ZF/mosheep/user/+", "/a61QmwQD5ZF/mosheep/user/#",
            "/a61QmwQD5ZF/mosheep/user/a+b" })
    void refusesWildcards(String topic) {
        assertThat(this.policy.topicRefusal(SHEEP, topic))
            .hasValueSatisfying((reason) -> assertThat(reason).contains("wildcards"));
    }

    @Test
    void allowsTopicOfExactly128BytesAndRefuses129() {
        String prefix = "/a61QmwQD5ZF/mosheep/user/";
        String atLimit = prefix + "x".repeat(128 - prefix.length());

        assertThat(this.policy.topicRefusal(SHEEP, atLimit)).isEmpty();
        assertThat(this.policy.topicRefusal(SHEEP, atLimit + "x"))
            .hasValueSatisfying((reason) -> assertThat(reason).contains("129 bytes"));
    }

    @Test
    void countsTopicLengthInUtf8Bytes() {
        String prefix = "/a61QmwQD5ZF/mosheep/user/";
        // 60 two-byte characters: 146 bytes but only 86 characters
        String topic = prefix + "\u00e9".repeat(60);

        assertThat(this.policy.topicRefusal(SHEEP, topic))
            .hasValueSatisfying((reason) -> assertThat(reason).contains("146 bytes"));
    }

    @Test
    void allowsSevenSlashesAndRefusesEight() {
        assertThat(this.policy.topicRefusal(SHEEP, "/a61QmwQD5ZF/mosheep/user/a/b/c/d")).isEmpty();
        assertThat(this.policy.topicRefusal(SHEEP, "/a61QmwQD5ZF/mosheep/user/a/b/c/d/e"))
            .hasValueSatisfying((reason) -> assertThat(reason).contains("8 '/'"));
    }

    @Test
    void theSlashLimitIsForCustomTopicsNotForTheDevicesOwnSystemTopics() {
        assertThat(this.policy.topicRefusal(SHEEP, "/sys/a61QmwQD5ZF/mosheep/thing/event/property/batch/post"))
            .isEmpty();
    }

    @Test
    void allowsQos0And1AndRefusesQos2() {
        assertThat(this.policy.contentRefusal(0, 10)).isEmpty();
        assertThat(this.policy.contentRefusal(1, 10)).isEmpty();
        assertThat(this.policy.contentRefusal(2, 10))
            .hasValueSatisfying((reason) -> assertThat(reason).contains("QoS 2"));
    }

    @Test
    void allowsPayloadUpToTheLimit() {
        assertThat(this.policy.contentRefusal(1, 256 * 1024)).isEmpty();
        assertThat(this.policy.contentRefusal(1, 256 * 1024 + 1))
            .hasValueSatisfying((reason) -> assertThat(reason).contains("262145 bytes", "262144"));
    }

    @Test
    void allowsSubscriptionsOnlyUnderOwnTopics() {
        assertThat(this.policy.maySubscribe(SHEEP, "/a61QmwQD5ZF/mosheep/user/#")).isTrue();
        assertThat(this.policy.maySubscribe(SHEEP, "/sys/a61QmwQD5ZF/mosheep/thing/+/post_reply")).isTrue();
        assertThat(this.policy.maySubscribe(SHEEP, "/a61QmwQD5ZF/+/user/#")).isFalse();
        assertThat(this.policy.maySubscribe(SHEEP, "#")).isFalse();
    }

    @Test
    void previewShowsOnlyThePrintableStartOfThePayload() {
        assertThat(PlatformInterceptor.preview("{\"t\":1}\n\u0000".getBytes())).isEqualTo("{\"t\":1}..");
        assertThat(PlatformInterceptor.preview("y".repeat(100).getBytes())).isEqualTo("y".repeat(64) + "...");
    }
}
