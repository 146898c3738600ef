package io.iotgateway.mqtt.transport;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PahoExecutorTests {

    private final PahoExecutor executor = new PahoExecutor();

    @AfterEach
    void shutDown() {
        this.executor.shutdownNow();
    }

    @Test
    void aDuePingRunsWhileEndlessLoopsHoldTheirThreads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 300; i++) {
            // what Paho's receiver, sender and callback of 100 clients do: run until their client closes
            this.executor.submit(() -> {
                release.await();
                return null;
            });
        }
        CountDownLatch pinged = new CountDownLatch(1);
        AtomicBoolean onVirtualThread = new AtomicBoolean();

        this.executor.schedule(() -> {
            onVirtualThread.set(Thread.currentThread().isVirtual());
            pinged.countDown();
        }, 200, TimeUnit.MILLISECONDS);

        assertThat(pinged.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(onVirtualThread).isTrue();
        // the ping's own task ends; the loops still run
        await().atMost(Duration.ofSeconds(5)).until(() -> this.executor.runningTasks() == 300);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> this.executor.runningTasks() == 0);
    }

    @Test
    void aLoopIsStoppedByCancellingItsFuture() {
        // Paho stops its receiver with cancel(true): the interrupt must reach the loop
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Future<?> loop = this.executor.submit(() -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
            }
            catch (InterruptedException ex) {
                interrupted.set(true);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 0);

        loop.cancel(true);

        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    }

    @Test
    void aCancelledPingNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();

        this.executor.schedule(() -> ran.set(true), 300, TimeUnit.MILLISECONDS).cancel(false);

        Thread.sleep(600);
        assertThat(ran).isFalse();
    }
}
