package io.iotgateway.thing;

import java.nio.charset.StandardCharsets;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.testsupport.MutableClock;
import io.iotgateway.thing.PendingReplies.Pending;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PendingRepliesTests {

    private static final String TOPIC = "/sys/a61QmwQD5ZF/mosheep/thing/event/property/post_reply";

    private final PendingReplies replies = new PendingReplies(new DeviceId("a61QmwQD5ZF", "mosheep"),
            new MutableClock(), JsonMapper.builder().build().readerFor(JsonNode.class), 3);

    @Test
    void repliesArrivingOutOfOrderEachCompleteTheRequestWithTheirId() {
        Pending first = this.replies.open(TOPIC);
        Pending second = this.replies.open(TOPIC);

        arrive("{\"id\":\"" + second.id() + "\",\"code\":460,\"message\":\"request parameter error\"}");
        arrive("{\"code\":200,\"data\":{\"n\":1},\"id\":\"" + first.id() + "\",\"message\":\"success\"}");

        assertThat(second.reply()).isCompletedWithValueMatching(reply -> reply.code() == 460
                && "request parameter error".equals(reply.message()));
        assertThat(first.reply()).isCompletedWithValueMatching(reply -> reply.code() == 200
                && reply.data() != null && reply.data().get("n").asInt() == 1);
    }

    @Test
    void aReplyForNoWaitingRequestOrNotAReplyAtAllIsDropped() {
        Pending waiting = this.replies.open(TOPIC);

        arrive("{\"id\":\"42\",\"code\":200}");
        arrive("not json");
        arrive("{\"code\":200}");
        arrive("[\"" + waiting.id() + "\"]");

        assertThat(waiting.reply()).isNotDone();
    }

    @Test
    void aReplyWithTheIdOnAnotherReplyTopicIsNotThisRequests() {
        Pending waiting = this.replies.open(TOPIC);

        this.replies.messageArrived("/sys/a61QmwQD5ZF/mosheep/thing/event/overheat/post_reply",
                ("{\"id\":\"" + waiting.id() + "\",\"code\":200}").getBytes(StandardCharsets.UTF_8));

        assertThat(waiting.reply()).isNotDone();
        assertThat(this.replies.awaitsMessages()).isTrue();
        this.replies.close(waiting);
        assertThat(this.replies.awaitsMessages()).isFalse();
    }

    @Test
    void aClosedRequestIsForgottenAndItsReplyDropped() {
        Pending gaveUp = this.replies.open(TOPIC);
        this.replies.close(gaveUp);

        arrive("{\"id\":\"" + gaveUp.id() + "\",\"code\":200}");

        assertThat(this.replies.waitingCount()).isZero();
        assertThat(gaveUp.reply()).isNotDone();
    }

    @Test
    void atMostMaxPendingWaitAtOnce() {
        Pending first = this.replies.open(TOPIC);
        this.replies.open(TOPIC);
        this.replies.open(TOPIC);

        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> this.replies.open(TOPIC))
            .satisfies(busy -> assertThat(busy.problemType()).isEqualTo(ProblemType.DEVICE_BUSY));
        this.replies.close(first);
        assertThat(this.replies.open(TOPIC).id()).isNotEqualTo(first.id());
    }

    @Test
    void idsAreDistinctAlsoWithoutAReply() {
        assertThat(this.replies.open(TOPIC).id()).isNotEqualTo(this.replies.idWithoutReply());
    }

    private void arrive(String payload) {
        this.replies.messageArrived(TOPIC, payload.getBytes(StandardCharsets.UTF_8));
    }
}
