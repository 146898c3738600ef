package io.iotgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The interceptor's events in the orders Moquette may deliver them. */
class PlatformInterceptorTests {

    private static final String USER = "mosheep&a61QmwQD5ZF";

    private static final String CLIENT = "a61QmwQD5ZF.mosheep|securemode=3,signmethod=hmacsha1,timestamp=1|";

    private final EmulatorInbox inbox = new EmulatorInbox(10);

    private final List<String> disconnected = new ArrayList<>();

    private final PlatformInterceptor interceptor = new PlatformInterceptor(Duration.ofSeconds(30),
            Duration.ofSeconds(1200), new PublishPolicy(256 * 1024), this.inbox, this.disconnected::add, (message) -> {
            },
            Clock.systemUTC());

    @Test
    void aPublishWhoseNotificationComesAfterItsClientWentOfflineIsStillReceived() {
        this.interceptor.onConnect(connect(300));
        // the client published, got its PUBACK and disconnected; the notifications arrive in another order
        this.interceptor.onDisconnect(new InterceptDisconnectMessage(CLIENT, USER));
        this.interceptor.onPublish(publish("last words"));

        assertThat(this.inbox.messages()).extracting(ReceivedMessage::payloadAsString).containsExactly("last words");
    }

    @Test
    void aPublishOfALoginRefusedForItsKeepAliveIsNotReceived() {
        this.interceptor.onConnect(connect(10));
        this.interceptor.onPublish(publish("refused"));

        assertThat(this.disconnected).containsExactly(CLIENT);
        assertThat(this.inbox.messages()).isEmpty();
    }

    private static InterceptConnectMessage connect(int keepAliveSeconds) {
        return new InterceptConnectMessage(MqttMessageBuilders.connect()
            .clientId(CLIENT)
            .username(USER)
            .password("p".getBytes(StandardCharsets.UTF_8))
            .keepAlive(keepAliveSeconds)
            .build());
    }

    private static InterceptPublishMessage publish(String payload) {
        return new InterceptPublishMessage(MqttMessageBuilders.publish()
            .topicName("/a61QmwQD5ZF/mosheep/user/sheep")
            .qos(MqttQoS.AT_LEAST_ONCE)
            .messageId(1)
            .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
            .build(), CLIENT, USER);
    }
}
