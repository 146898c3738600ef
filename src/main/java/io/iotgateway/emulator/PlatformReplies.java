package io.iotgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.iotgateway.emulator.thing.AlinkCheck;
import io.iotgateway.emulator.thing.AlinkReply;
import io.iotgateway.emulator.thing.AlinkTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the platform answers on its own to a device's message, sent back to the device's topics: the Alink replies to
 * property and event posts, and the NTP response. The other system topics a device SDK publishes to (shadow update,
 * OTA inform and progress) are accepted and logged, and get no answer here.
 */
final class PlatformReplies {

    /** Sends a message to whoever subscribed to the topic: only its device may. */
    @FunctionalInterface
    interface Publisher {

        void publish(String topic, byte[] payload);
    }

    private static final Logger logger = LoggerFactory.getLogger(PlatformReplies.class);

    private final ThingModels models;

    private final AlinkCheck alink;

    private final NtpResponder ntp;

    private final Publisher publisher;

    PlatformReplies(ThingModels models, AlinkCheck alink, NtpResponder ntp, Publisher publisher) {
        this.models = models;
        this.alink = alink;
        this.ntp = ntp;
        this.publisher = publisher;
    }

    /** Answers the accepted message if the platform would. */
    void answer(ReceivedMessage message) {
        Optional<AlinkTopic> alinkTopic = AlinkTopic.parse(message.topic());
        if (alinkTopic.isPresent()) {
            answerAlink(alinkTopic.get(), message);
            return;
        }
        Optional<NtpResponder.Response> time = this.ntp.answer(message);
        if (time.isPresent()) {
            this.publisher.publish(time.get().topic(), time.get().payload());
            return;
        }
        if (SystemTopics.isUnansweredSystemTopic(message.topic())) {
            logger.info("Emulator accepted '{}' without answering: the emulator has no device shadow and no OTA",
                    LogText.escape(message.topic()));
        }
    }

    private void answerAlink(AlinkTopic topic, ReceivedMessage message) {
        Optional<AlinkReply> reply = this.alink.answer(topic, message.payload(), this.models.of(topic.productKey()));
        if (reply.isEmpty()) {
            logger.debug("Emulator sends no reply to '{}': the request has sys.ack 0", LogText.escape(message.topic()));
            return;
        }
        byte[] json = reply.get().toJson();
        logger.info("Emulator replies on '{}' with code {}: {}", LogText.escape(topic.replyTopic()), reply.get().code(),
                LogText.escape(new String(json, StandardCharsets.UTF_8)));
        this.publisher.publish(topic.replyTopic(), json);
    }
}
