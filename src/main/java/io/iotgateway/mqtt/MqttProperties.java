package io.iotgateway.mqtt;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway holds each device's MQTT connection.
 *
 * @param keepAlive MQTT keep-alive; the platform accepts 30 s to 1200 s and recommends at least 300 s
 * @param completionTimeout longest wait for the platform's CONNACK or PUBACK before the request fails with 504;
 * keep it below the callers' HTTP timeout
 * @param disconnectTimeout longest wait for a clean disconnect when a connection is closed
 * @param maxInflight unacknowledged QoS 1 messages per connection; the platform allows at most 100
 * @param maxConnectsPerMinute connection attempts per device per minute; the platform allows at most 5
 * @param reconnectBackoff first wait after a failed connect before the device is tried again; it doubles with
 * every further failure (with jitter) up to {@code reconnectBackoffMax}
 * @param reconnectBackoffMax longest wait between connection attempts of a device whose broker is unreachable
 * @param credentialsRejectedBackoff wait after the platform refused a device's credentials (CONNACK 4 or 5) before
 * the gateway tries that device again; until then its requests get 502 at once
 * @param kickBackoff how long the gateway leaves a device alone after another client logged in as it and the
 * platform closed the gateway's connection; doubles with every further kick up to {@code kickBackoffMax}, so the
 * two never kick each other in a loop
 * @param kickBackoffMax longest pause after repeated kicks
 * @param idleTimeout close a device's connection after this long without messages (it reopens on the next message);
 * {@code 0} keeps connections open
 * @param maxConnectsPerSecond connection attempts per second across all devices; the platform allows 500 per
 * account, shared with every other client of the account
 * @param maxConnections most device connections open at once; past it the least recently used idle one is closed,
 * and when none is idle the request gets 503
 * @param warmUp connect every registered device at start (at {@code maxConnectsPerSecond}), so that no request
 * pays for the CONNECT
 */
@Validated
@ConfigurationProperties("gateway.mqtt")
public record MqttProperties(
        @DefaultValue("300s") @DurationMin(seconds = 30) @DurationMax(seconds = 1200) Duration keepAlive,
        @DefaultValue("5s") @DurationMin(millis = 100) Duration completionTimeout,
        @DefaultValue("2s") Duration disconnectTimeout,
        @DefaultValue("100") @Min(1) @Max(100) int maxInflight,
        @DefaultValue("5") @Min(1) int maxConnectsPerMinute,
        @DefaultValue("1s") Duration reconnectBackoff,
        @DefaultValue("60s") Duration reconnectBackoffMax,
        @DefaultValue("60s") Duration credentialsRejectedBackoff,
        @DefaultValue("30s") Duration kickBackoff,
        @DefaultValue("10m") Duration kickBackoffMax,
        @DefaultValue("0") Duration idleTimeout,
        @DefaultValue("100") @Min(1) @Max(500) int maxConnectsPerSecond,
        @DefaultValue("20000") @Min(1) int maxConnections,
        @DefaultValue("true") boolean warmUp) {
}
