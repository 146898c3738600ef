package io.iotgateway.thing;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The thing-model posts.
 *
 * @param replyTimeout how long a post waits for the platform's reply after its PUBACK before it is answered 504; at
 * most 10 s
 * @param maxPendingPerDevice most posts of one device waiting for their replies at once (503 past it); the default
 * is what the platform's 10 QoS 1 messages per second fill in the longest reply timeout
 */
@Validated
@ConfigurationProperties("gateway.thing")
record ThingProperties(@DefaultValue("5s") @DurationMin(millis = 100) @DurationMax(seconds = 10) Duration replyTimeout,
        @DefaultValue("100") @Min(1) @Max(10000) int maxPendingPerDevice) {
}
