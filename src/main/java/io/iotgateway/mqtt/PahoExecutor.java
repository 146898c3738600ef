package io.iotgateway.mqtt;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one executor every device's Paho client runs on, instead of Paho's own four platform threads per client
 * (receiver, sender, callback, ping timer), which would make 10,000 devices 40,000 threads. Paho's loops block in
 * {@code synchronized} and {@code Object.wait}, which on Java 24+ (JEP 491) no longer pin a virtual thread to its
 * carrier; so each task runs on a virtual thread and the platform threads stay a handful whatever the number of
 * devices.
 * <p>
 * A {@link ScheduledThreadPoolExecutor} with a practically unbounded core size starts a worker per task until
 * the tasks outnumber the workers; Paho keeps three long-running tasks per connected client and needs a free
 * worker for each, so the pool must never be the limit. Idle workers end after a while.
 */
final class PahoExecutor extends ScheduledThreadPoolExecutor {

    private static final int UNBOUNDED = 1_000_000;

    PahoExecutor() {
        super(UNBOUNDED, Thread.ofVirtual().name("mqtt-", 0).factory());
        setKeepAliveTime(30, TimeUnit.SECONDS);
        allowCoreThreadTimeOut(true);
        setRemoveOnCancelPolicy(true);
    }
}
