package io.iotgateway.message;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the messages the gateway accepts.
 *
 * @param maxPayload largest request body published as one message; larger bodies get 413 without being read.
 * The IoT Platform refuses MQTT messages over 256 KB.
 * @param idempotencyWindow how long the answer to a request with an {@code Idempotency-Key} is remembered; a retry
 * with the same key within it gets that answer and publishes nothing
 * @param idempotencyMaxKeys most remembered keys (about 1 KB each); past it keys are forgotten before their window
 * ends, those least likely to be asked for again first (docs/delivery.md)
 */
@ConfigurationProperties("gateway.message")
record MessageProperties(@DefaultValue("256KB") DataSize maxPayload,
        @DefaultValue("10m") Duration idempotencyWindow,
        @DefaultValue("100000") int idempotencyMaxKeys) {
}
