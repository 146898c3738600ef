package io.iotgateway.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.iotgateway.limit.SlidingWindow;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * Logins that no request waits for (warm-up, reconnects after an outage or a dead connection), in the order they
 * became due and within the gateway-wide connect rate. One platform thread takes the next due connection, waits for
 * room in the rate and starts its login on a virtual thread; at most as many logins run at once as the rate allows
 * per second, so that an unreachable platform (each login waiting for its timeout) cannot pile them up.
 */
final class BackgroundConnects {

    private static final Log log = LogFactory.getLog(BackgroundConnects.class);

    private final LinkedBlockingQueue<Runnable> due = new LinkedBlockingQueue<>();

    private final Set<DeviceConnection> queued = ConcurrentHashMap.newKeySet();

    private final SlidingWindow gatewayRate;

    // background logins leave a fifth of the rate to requests, so a request for a device the warm-up has not
    // reached yet logs in at once instead of getting 503 connect-limited for the whole warm-up
    private final SlidingWindow backgroundRate;

    private final LongSupplier nanoTime;

    private final TaskScheduler scheduler;

    private final Semaphore running;

    private volatile @Nullable Thread dispatcher;

    BackgroundConnects(SlidingWindow gatewayRate, LongSupplier nanoTime, TaskScheduler scheduler) {
        this.gatewayRate = gatewayRate;
        this.backgroundRate = new SlidingWindow(Math.max(1, gatewayRate.limit() - gatewayRate.limit() / 5),
                Duration.ofSeconds(1));
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
        this.running = new Semaphore(gatewayRate.limit());
    }

    synchronized void start() {
        if (this.dispatcher == null) {
            this.dispatcher = Thread.ofPlatform().name("mqtt-background-connects").daemon().start(this::dispatch);
        }
    }

    synchronized void stop() {
        Thread thread = this.dispatcher;
        this.dispatcher = null;
        if (thread != null) {
            thread.interrupt();
        }
        this.due.clear();
        this.queued.clear();
    }

    /** Logs the connection in after {@code delay}; a connection already waiting for its turn is not queued twice. */
    void connectAfter(DeviceConnection connection, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            enqueue(connection);
        }
        else {
            this.scheduler.schedule(() -> enqueue(connection), Instant.now().plus(delay));
        }
    }

    /** Runs {@code task} on the dispatcher, in turn with the logins queued before it (the warm-up's first login). */
    void runInTurn(Runnable task) {
        this.due.add(task);
    }

    /**
     * Logs the devices in ahead of traffic, in turn with the other background logins; on the dispatcher's thread.
     * The first login runs on this platform thread itself, so that whatever the login path loads for the first
     * time is not loaded by many virtual threads at once. Logs one line once the last has finished.
     */
    void warmUp(String what, List<DeviceConnection> connections, LongSupplier connected) {
        long start = System.nanoTime();
        AtomicInteger unfinished = new AtomicInteger(connections.size() + 1);
        Runnable oneDone = () -> {
            if (unfinished.decrementAndGet() == 0) {
                log.info(what + ": " + connected.getAsLong() + " of " + connections.size() + " devices connected in "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
            }
        };
        for (int i = 0; i < connections.size(); i++) {
            DeviceConnection connection = connections.get(i);
            if (i == 0) {
                awaitRateAndConnect(connection);
                oneDone.run();
            }
            else {
                this.due.add(() -> startLogin(connection, oneDone));
            }
        }
        // all are queued: the last login to finish says how long all took
        oneDone.run();
    }

    private void awaitRateAndConnect(DeviceConnection connection) {
        try {
            awaitRate();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        connection.connectInBackground();
    }

    private void enqueue(DeviceConnection connection) {
        if (this.queued.add(connection)) {
            this.due.add(() -> {
                this.queued.remove(connection);
                startLogin(connection, () -> { });
            });
        }
    }

    private void startLogin(DeviceConnection connection, Runnable whenDone) {
        try {
            awaitRate();
            this.running.acquire();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        Thread.ofVirtual().name("mqtt-login").start(() -> {
            try {
                connection.connectInBackground();
            }
            finally {
                this.running.release();
                whenDone.run();
            }
        });
    }

    private void awaitRate() throws InterruptedException {
        long wait;
        while ((wait = this.backgroundRate.waitNanos(this.nanoTime.getAsLong())) > 0
                || (wait = this.gatewayRate.tryAcquire(this.nanoTime.getAsLong())) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        this.backgroundRate.tryAcquire(this.nanoTime.getAsLong());
    }

    private void dispatch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                this.due.take().run();
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (RuntimeException ex) {
                log.warn("A background login could not be started: " + ex);
            }
        }
    }
}
