package io.iotgateway.mqtt;

import java.time.Duration;

import io.iotgateway.web.ProblemType;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How long a device stays away from the platform after something went wrong. Not thread-safe: its connection
 * calls it under its own lock.
 * <ul>
 * <li>A failed login or a connection that dropped soon after it was opened: exponential back-off from
 * {@code reconnect-backoff} up to {@code reconnect-backoff-max}, with jitter so that devices that failed together
 * do not retry together. A connection that stayed up for {@code reconnect-backoff-max} starts afresh: its loss
 * (a broker restart, say) is retried at once.</li>
 * <li>Refused credentials: {@code credentials-rejected-backoff}, since retrying sooner cannot help.</li>
 * <li>A kick (another client logged in as the device): {@code kick-backoff}, doubling with every further kick up
 * to {@code kick-backoff-max}, so that the two never kick each other in a loop; a connection that stayed up
 * longer than that starts the count afresh.</li>
 * </ul>
 */
final class ReconnectPolicy {

    private final MqttProperties settings;

    private final ExponentialBackOff backOff;

    private BackOffExecution failures;

    private int kicks;

    ReconnectPolicy(MqttProperties settings) {
        this.settings = settings;
        this.backOff = new ExponentialBackOff(settings.reconnectBackoff().toMillis(), 2.0);
        this.backOff.setMaxInterval(Math.max(settings.reconnectBackoff().toMillis(),
                settings.reconnectBackoffMax().toMillis()));
        // +-20 % of each interval (ExponentialBackOff scales the jitter with the interval)
        this.backOff.setJitter(Math.max(1, settings.reconnectBackoff().toMillis() / 5));
        this.failures = this.backOff.start();
    }

    /** After a login that failed with {@code problem}. */
    Duration afterFailedLogin(ProblemType problem) {
        if (problem == ProblemType.CREDENTIALS_REJECTED) {
            return this.settings.credentialsRejectedBackoff();
        }
        return Duration.ofMillis(this.failures.nextBackOff());
    }

    /** After a connection that was up for {@code connectedFor} dropped (not a kick). */
    Duration afterLoss(Duration connectedFor) {
        if (connectedFor.compareTo(this.settings.reconnectBackoffMax()) >= 0) {
            this.failures = this.backOff.start();
            return Duration.ZERO;
        }
        return Duration.ofMillis(this.failures.nextBackOff());
    }

    /** After another login of the device closed a connection that was up for {@code connectedFor}. */
    Duration afterKick(Duration connectedFor) {
        if (connectedFor.compareTo(this.settings.kickBackoffMax()) > 0) {
            this.kicks = 0;
        }
        this.kicks++;
        long pause = this.settings.kickBackoff().toMillis() << Math.min(this.kicks - 1, 20);
        return Duration.ofMillis(Math.min(this.settings.kickBackoffMax().toMillis(), pause));
    }

    int kicks() {
        return this.kicks;
    }
}
