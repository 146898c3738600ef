package io.iotgateway.emulator.thing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's verdict on property and event posts, against the demo product's shipped thing model.
 */
class AlinkCheckTests {

    private static final Instant NOW = Instant.parse("2026-05-01T10:15:30Z");

    private static final ThingModel DEMO = ThingModel
        .load(new ClassPathResource("emulator/a61QmwQD5ZF-thing-model.json"));

    private static final AlinkTopic PROPERTIES = AlinkTopic.parse("/sys/a61QmwQD5ZF/mosheep/thing/event/property/post")
        .orElseThrow();

    private static final AlinkTopic OVERHEAT = AlinkTopic.parse("/sys/a61QmwQD5ZF/mosheep/thing/event/overheat/post")
        .orElseThrow();

    private final AlinkCheck check = new AlinkCheck(Clock.fixed(NOW, ZoneOffset.UTC));

    @Nested
    class PropertyPost {

        @ParameterizedTest
        @ValueSource(strings = { "\"temperature\":23.5", "\"temperature\":-40.0", "\"temperature\":1.2e2",
                "\"humidity\":0", "\"humidity\":100", "\"power\":1", "\"mode\":2", "\"label\":\"kitchen\"",
                "\"temperature\":{\"value\":23.5,\"time\":1524448722000}", "\"humidity\":55,\"power\":0" })
        void acceptsValuesTheModelAllows(String params) {
            AlinkReply reply = answer(PROPERTIES, property(params), Optional.of(DEMO));

            assertThat(reply.code()).isEqualTo(200);
            assertThat(reply.message()).isEqualTo("success");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "\"pressure\":1013.0                  | property 'pressure' is not defined",
                "\"temperature\":10                   | a decimal point (10.0, not 10)",
                "\"temperature\":\"23.5\"             | must be a float",
                "\"temperature\":120.5                | outside -40..120",
                "\"temperature\":-40.01               | outside -40..120",
                "\"humidity\":1.5                     | must be an int",
                "\"humidity\":101                     | outside 0..100",
                "\"humidity\":3000000000              | 32-bit int range",
                "\"power\":2                          | not one of [0, 1]",
                "\"power\":true                       | must be a whole number",
                "\"mode\":3                           | not one of [0, 1, 2]",
                "\"label\":\"a label longer than thirty-two characters\" | at most 32",
                "\"label\":7                          | must be a text" })
        void refusesWhatTheModelDoesNotAllowWith460(String params, String reason) {
            AlinkReply reply = answer(PROPERTIES, property(params), Optional.of(DEMO));

            assertThat(reply.code()).isEqualTo(460);
            assertThat(reply.message()).startsWith("request parameter error: ").contains(reason);
            assertThat(reply.id()).hasToString("\"123\"");
            assertThat(reply.method()).isEqualTo("thing.event.property.post");
        }

        @Test
        void acceptsAnyIdentifierForAProductWithoutModel() {
            AlinkReply reply = answer(PROPERTIES, property("\"anything\":\"goes\",\"count\":10"), Optional.empty());

            assertThat(reply.code()).isEqualTo(200);
        }

        @Test
        void refusesATimeMoreThan24HoursAheadEvenWithoutModel() {
            long tooLate = NOW.plusSeconds(24 * 3600 + 1).toEpochMilli();
            long justInTime = NOW.plusSeconds(24 * 3600).toEpochMilli();

            AlinkReply late = answer(PROPERTIES, property("\"temperature\":{\"value\":1.0,\"time\":" + tooLate + "}"),
                    Optional.empty());
            AlinkReply inTime = answer(PROPERTIES,
                    property("\"temperature\":{\"value\":1.0,\"time\":" + justInTime + "}"), Optional.empty());

            assertThat(late.code()).isEqualTo(460);
            assertThat(late.message()).contains("more than 24 hours in the future");
            assertThat(inTime.code()).isEqualTo(200);
        }

        @ParameterizedTest
        @ValueSource(strings = { "{}", "[]", "\"temperature\"" })
        void refusesEmptyOrMalformedParamsWith460(String params) {
            String request = "{\"id\":\"1\",\"version\":\"1.0\",\"params\":" + params
                    + ",\"method\":\"thing.event.property.post\"}";

            assertThat(answer(PROPERTIES, request, Optional.empty()).code()).isEqualTo(460);
        }

        @Test
        void refusesMoreThan200ParamsWith460() {
            StringBuilder params = new StringBuilder();
            for (int i = 0; i <= AlinkCheck.MAX_PARAMS; i++) {
                params.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":1");
            }

            AlinkReply reply = answer(PROPERTIES, property(params.toString()), Optional.empty());

            assertThat(reply.code()).isEqualTo(460);
            assertThat(reply.message()).contains("more than 200");
        }
    }

    @Nested
    class EventPost {

        @Test
        void acceptsADefinedEventWithValidOutputs() {
            AlinkReply reply = answer(OVERHEAT, event("overheat", "{\"value\":{\"temperature\":95.5},\"time\":1}"),
                    Optional.of(DEMO));

            assertThat(reply.code()).isEqualTo(200);
            assertThat(reply.method()).isEqualTo("thing.event.overheat.post");
        }

        @Test
        void refusesAnUndefinedEventAnUndefinedOutputAndAWrongType() {
            AlinkTopic fire = AlinkTopic.parse("/sys/a61QmwQD5ZF/mosheep/thing/event/fire/post").orElseThrow();

            AlinkReply undefinedEvent = answer(fire, event("fire", "{\"value\":{}}"), Optional.of(DEMO));
            AlinkReply undefinedOutput = answer(OVERHEAT, event("overheat", "{\"value\":{\"level\":5}}"),
                    Optional.of(DEMO));
            AlinkReply wrongType = answer(OVERHEAT, event("overheat", "{\"value\":{\"temperature\":95}}"),
                    Optional.of(DEMO));

            assertThat(undefinedEvent.code()).isEqualTo(460);
            assertThat(undefinedEvent.message()).contains("event 'fire' is not defined");
            assertThat(undefinedOutput.message()).contains("'level' is not defined");
            assertThat(wrongType.message()).contains("decimal point");
        }

        @Test
        void refusesParamsWithoutValueObject() {
            AlinkReply reply = answer(OVERHEAT, event("overheat", "{\"temperature\":95.5}"), Optional.empty());

            assertThat(reply.code()).isEqualTo(460);
        }
    }

    @Nested
    class Envelope {

        @Test
        void answersNotJsonWith6207() {
            AlinkReply reply = answer(PROPERTIES, "temperature=23.5", Optional.of(DEMO));

            assertThat(reply.code()).isEqualTo(6207);
            assertThat(reply.method()).isEqualTo("thing.event.property.post");
        }

        @Test
        void answersAMissingMethodWith6300AndAnotherMethodWith460() {
            AlinkReply missing = answer(PROPERTIES, "{\"id\":\"7\",\"params\":{\"humidity\":1}}", Optional.empty());
            AlinkReply other = answer(PROPERTIES,
                    "{\"id\":\"7\",\"params\":{\"humidity\":1},\"method\":\"thing.event.overheat.post\"}",
                    Optional.empty());

            assertThat(missing.code()).isEqualTo(6300);
            assertThat(missing.id()).hasToString("\"7\"");
            assertThat(other.code()).isEqualTo(460);
        }

        @Test
        void sendsNoReplyWhenAckIsZeroEvenForAnError() {
            String request = "{\"id\":\"1\",\"sys\":{\"ack\":0},\"params\":{\"pressure\":1.0},"
                    + "\"method\":\"thing.event.property.post\"}";

            assertThat(check.answer(PROPERTIES, bytes(request), Optional.of(DEMO))).isEmpty();
        }

        @Test
        void repliesWhenAckIsOneOrSysIsAbsent() {
            String withAck = "{\"id\":\"1\",\"sys\":{\"ack\":1},\"params\":{\"humidity\":1},"
                    + "\"method\":\"thing.event.property.post\"}";

            assertThat(answer(PROPERTIES, withAck, Optional.of(DEMO)).code()).isEqualTo(200);
            assertThat(answer(PROPERTIES, property("\"humidity\":1"), Optional.of(DEMO)).code()).isEqualTo(200);
        }

        @Test
        void replyIsThePlatformsJsonWithTheIdAsItCame() throws Exception {
            String sdkId = "1|exp-topic|/sys/a61QmwQD5ZF/mosheep/thing/event/property/post_reply";
            String request = "{\"id\":\"" + sdkId + "\",\"version\":\"1.0\",\"params\":{\"humidity\":1},"
                    + "\"method\":\"thing.event.property.post\"}";

            JsonNode reply = JsonMapper.builder().build()
                .readTree(answer(PROPERTIES, request, Optional.of(DEMO)).toJson());

            assertThat(reply.propertyNames()).containsExactly("code", "data", "id", "message", "method", "version");
            assertThat(reply.get("code").asInt()).isEqualTo(200);
            assertThat(reply.get("data").isEmpty()).isTrue();
            assertThat(reply.get("id").asString()).isEqualTo(sdkId);
            assertThat(reply.get("version").asString()).isEqualTo("1.0");
        }
    }

    @Test
    void topicsThatAreNoPostAreNotAlinkRequests() {
        assertThat(AlinkTopic.parse("/sys/a61QmwQD5ZF/mosheep/thing/event/property/post_reply")).isEmpty();
        assertThat(AlinkTopic.parse("/sys/a61QmwQD5ZF/mosheep/thing/event/property/batch/post")).isEmpty();
        assertThat(AlinkTopic.parse("/a61QmwQD5ZF/mosheep/user/post")).isEmpty();
        assertThat(OVERHEAT.replyTopic()).isEqualTo("/sys/a61QmwQD5ZF/mosheep/thing/event/overheat/post_reply");
    }

    private AlinkReply answer(AlinkTopic topic, String request, Optional<ThingModel> model) {
        return this.check.answer(topic, bytes(request), model).orElseThrow();
    }

    private static String property(String params) {
        return "{\"id\":\"123\",\"version\":\"1.0\",\"params\":{" + params
                + "},\"method\":\"thing.event.property.post\"}";
    }

    private static String event(String identifier, String params) {
        return "{\"id\":\"123\",\"version\":\"1.0\",\"params\":" + params + ",\"method\":\"thing.event." + identifier
                + ".post\"}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
