package io.iotgateway.message;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many messages the gateway publishes per device, within any one second. The platform silently drops what a
 * device sends beyond its limits, so the gateway refuses the excess with 429 instead.
 *
 * @param qos1PerSecond QoS 1 messages per device within any one second; the platform allows 10
 * @param qos0PerSecond QoS 0 messages per device within any one second; the platform allows 30
 */
@Validated
@ConfigurationProperties("gateway.message.rate-limit")
record MessageRateProperties(@DefaultValue("10") @Min(1) int qos1PerSecond,
        @DefaultValue("30") @Min(1) int qos0PerSecond) {

    int perSecond(int qos) {
        return (qos == 1) ? this.qos1PerSecond : this.qos0PerSecond;
    }
}
