package io.iotgateway.thing;

import java.time.Duration;
import java.util.Set;

import io.iotgateway.credential.DeviceId;

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
 * @param subscribeAtLogin product keys ({@code *}: every product) whose devices subscribe to their reply topics at
 * every login, the warm-up's included, instead of at their first thing-model post: the IoT Platform takes about 10 s
 * to apply a new subscription, so a first post right after its subscription may get no reply in time
 */
@Validated
@ConfigurationProperties("gateway.thing")
record ThingProperties(@DefaultValue("5s") @DurationMin(millis = 100) @DurationMax(seconds = 10) Duration replyTimeout,
        @DefaultValue("100") @Min(1) @Max(10000) int maxPendingPerDevice, @DefaultValue Set<String> subscribeAtLogin) {

    static final String ALL_PRODUCTS = "*";

    boolean subscribesAtLogin(DeviceId device) {
        return this.subscribeAtLogin.contains(ALL_PRODUCTS) || this.subscribeAtLogin.contains(device.productKey());
    }
}
