package io.iotgateway.message;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.testsupport.MutableClock;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IdempotencyCacheTests {

    private static final DeviceId DEVICE = new DeviceId("a61QmwQD5ZF", "mosheep");

    private static final byte[] FINGERPRINT = { 1, 2, 3 };

    private final MutableClock clock = new MutableClock();

    private final AtomicInteger published = new AtomicInteger();

    private final AtomicInteger replays = new AtomicInteger();

    @Test
    void aRetryWithinTheWindowReplaysTheFirstAnswerWithoutPublishing() {
        IdempotencyCache<String> cache = new IdempotencyCache<>(this.clock, Duration.ofMinutes(10), 100, Duration.ofSeconds(1), this.replays::incrementAndGet);

        DeviceRequests.Outcome<String> first = cache.execute(key("k1"), FINGERPRINT, this::publish);
        DeviceRequests.Outcome<String> retry = cache.execute(key("k1"), FINGERPRINT, this::publish);

        assertThat(this.published).hasValue(1);
        assertThat(this.replays).hasValue(1);
        assertThat(retry.answer()).isEqualTo(first.answer());
        assertThat(retry.replayed()).isTrue();
        assertThat(first.replayed()).isFalse();
    }

    @Test
    void pastTheWindowTheKeyPublishesAgain() {
        IdempotencyCache<String> cache = new IdempotencyCache<>(this.clock, Duration.ofMinutes(10), 100, Duration.ofSeconds(1), this.replays::incrementAndGet);
        cache.execute(key("k1"), FINGERPRINT, this::publish);

        this.clock.advance(Duration.ofMinutes(10).plusMillis(1));
        cache.execute(key("k1"), FINGERPRINT, this::publish);

        assertThat(this.published).hasValue(2);
    }

    @Test
    void keysAreScopedByCallerAndDevice() {
        IdempotencyCache<String> cache = new IdempotencyCache<>(this.clock, Duration.ofMinutes(10), 100, Duration.ofSeconds(1), this.replays::incrementAndGet);

        cache.execute(key("k1"), FINGERPRINT, this::publish);
        cache.execute(new IdempotencyCache.Key("other-caller", DEVICE, "k1"), FINGERPRINT, this::publish);
        cache.execute(new IdempotencyCache.Key("anonymous", new DeviceId("a61QmwQD5ZF", "herdsheep"), "k1"),
                FINGERPRINT, this::publish);

        assertThat(this.published).hasValue(3);
    }

    @Test
    void failuresAreNotRememberedSoARetryPublishes() {
        IdempotencyCache<String> cache = new IdempotencyCache<>(this.clock, Duration.ofMinutes(10), 100, Duration.ofSeconds(1), this.replays::incrementAndGet);

        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> cache.execute(key("k1"), FINGERPRINT,
                () -> {
                    throw new GatewayException(ProblemType.PLATFORM_UNAVAILABLE, "down");
                }));
        cache.execute(key("k1"), FINGERPRINT, this::publish);

        assertThat(this.published).hasValue(1);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void theSameKeyForAnotherRequestIsRefused() {
        IdempotencyCache<String> cache = new IdempotencyCache<>(this.clock, Duration.ofMinutes(10), 100, Duration.ofSeconds(1), this.replays::incrementAndGet);
        cache.execute(key("k1"), FINGERPRINT, this::publish);

        assertThatExceptionOfType(GatewayException.class)
            .isThrownBy(() -> cache.execute(key("k1"), new byte[] { 9 }, this::publish))
            .satisfies(ex -> assertThat(ex.problemType()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED));
        assertThat(this.published).hasValue(1);
    }

    @Test
    void memoryIsBoundedByTheMaximumNumberOfKeys() {
        IdempotencyCache<String> cache = new IdempotencyCache<>(this.clock, Duration.ofMinutes(10), 3, Duration.ofSeconds(1), this.replays::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            cache.execute(key("k" + i), FINGERPRINT, this::publish);
        }

        assertThat(cache.size()).isEqualTo(3);
        for (int i = 0; i < 5; i++) {
            cache.execute(key("k" + i), FINGERPRINT, this::publish);
        }
        // at least two of the five were forgotten early and published again (which ones is Caffeine's choice)
        assertThat(this.published.get()).isGreaterThanOrEqualTo(7);
        assertThat(cache.size()).isEqualTo(3);
    }

    private String publish() {
        return "receipt-" + this.published.incrementAndGet();
    }

    private static IdempotencyCache.Key key(String idempotencyKey) {
        return new IdempotencyCache.Key("anonymous", DEVICE, idempotencyKey);
    }
}
