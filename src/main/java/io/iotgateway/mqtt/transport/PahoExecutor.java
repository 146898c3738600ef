package io.iotgateway.mqtt.transport;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one executor every device's Paho client runs on, instead of Paho's own four platform threads per client
 * (receiver, sender, callback, ping timer), which would make 10,000 devices 40,000 threads.
 * <ul>
 * <li>Tasks handed over with {@code execute} or {@code submit} (Paho's endless receiver, sender and callback loops,
 * its connect and disconnect tasks) each get a virtual thread of their own. Paho's loops block in
 * {@code synchronized} and {@code Object.wait}, which no longer pin a virtual thread since Java 24 (JEP 491).</li>
 * <li>Timed tasks (the keep-alive ping of every client) wait on one platform timer thread and run on a virtual
 * thread when due, so that a ping that finds its connection dead and shuts it down never holds up the pings of
 * the other devices.</li>
 * </ul>
 * A thread pool that also had to run the endless loops could not do this: the loops hold their workers for good,
 * and idle workers that time out leave a due ping without a worker until something else is submitted (no
 * PINGREQ was sent in 420 s of idleness at keep-alive 60 s, and the platform dropped the idle devices).
 */
public final class PahoExecutor extends ScheduledThreadPoolExecutor {

    private final ExecutorService loops = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mqtt-", 0).factory());

    private final AtomicInteger running = new AtomicInteger();

    public PahoExecutor() {
        super(1, Thread.ofPlatform().name("mqtt-timer").daemon().factory());
        setRemoveOnCancelPolicy(true);
        // a ping due after shutdown has no client left to ping
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable command) {
        this.loops.execute(counted(command));
    }

    @Override
    public Future<?> submit(Runnable task) {
        return this.loops.submit(counted(task));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return this.loops.submit(counted(task), result);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return this.loops.submit(() -> {
            this.running.incrementAndGet();
            try {
                return task.call();
            }
            finally {
                this.running.decrementAndGet();
            }
        });
    }

    // Paho schedules one-shot tasks only (ScheduledExecutorPingSender); the periodic variants stay the timer's own
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return super.schedule(() -> execute(command), delay, unit);
    }

    /** Tasks running now on virtual threads (Paho's loops of every client, pings under way). */
    int runningTasks() {
        return this.running.get();
    }

    private Runnable counted(Runnable task) {
        return () -> {
            this.running.incrementAndGet();
            try {
                task.run();
            }
            finally {
                this.running.decrementAndGet();
            }
        };
    }

    @Override
    public void shutdown() {
        super.shutdown();
        this.loops.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> pending = super.shutdownNow();
        this.loops.shutdownNow();
        return pending;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return super.awaitTermination(timeout, unit)
                && this.loops.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
}
