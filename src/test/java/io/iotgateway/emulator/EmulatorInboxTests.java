package io.iotgateway.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmulatorInboxTests {

    private final EmulatorInbox inbox = new EmulatorInbox(2);

    @Test
    void keepsOnlyTheNewestMessagesOldestFirst() {
        this.inbox.record(message("/a/1"));
        this.inbox.record(message("/a/2"));
        this.inbox.record(message("/a/3"));

        assertThat(this.inbox.messages()).extracting(ReceivedMessage::topic).containsExactly("/a/2", "/a/3");
    }

    @Test
    void copiesPayloadBytesInAndOut() {
        byte[] payload = { 1, 2, 3 };
        ReceivedMessage message = new ReceivedMessage("/a", payload, 1, "c", Instant.EPOCH);
        payload[0] = 9;
        message.payload()[1] = 9;

        assertThat(message.payload()).containsExactly(1, 2, 3);
        assertThat(message).isEqualTo(new ReceivedMessage("/a", new byte[] { 1, 2, 3 }, 1, "c", Instant.EPOCH));
    }

    @Test
    void awaitMessageReturnsMessageThatArrivesLater() throws Exception {
        CompletableFuture.runAsync(() -> this.inbox.record(message("/later")),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

        assertThat(this.inbox.awaitMessage((m) -> m.topic().equals("/later"), Duration.ofSeconds(5)))
            .hasValueSatisfying((m) -> assertThat(m.topic()).isEqualTo("/later"));
    }

    @Test
    void awaitMessageGivesUpAfterTimeout() throws Exception {
        this.inbox.record(message("/other"));

        assertThat(this.inbox.awaitMessage((m) -> m.topic().equals("/never"), Duration.ofMillis(20))).isEmpty();
    }

    @Test
    void clearForgetsMessagesAndCounters() {
        this.inbox.record(message("/a"));
        this.inbox.countRefusedConnect();
        this.inbox.countRefusedPublish();
        this.inbox.countKick();

        this.inbox.clear();

        assertThat(this.inbox.messages()).isEmpty();
        assertThat(this.inbox.refusedConnects() + this.inbox.refusedPublishes() + this.inbox.kicks()).isZero();
    }

    private static ReceivedMessage message(String topic) {
        return new ReceivedMessage(topic, new byte[0], 0, "client", Instant.now());
    }
}
