package io.iotgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The ways the load generator drives a {@link Target}. Messages go to the devices in turn (message i to device
 * i mod n), so the load is spread evenly. Every loop is bounded in time; nothing waits for ever.
 */
final class Load {

    /** Longest wait for the requests still running when a scenario ends (the gateway gives up after 5 s). */
    private static final Duration DRAIN = Duration.ofSeconds(40);

    private Load() {
    }

    /**
     * Closed loop, maximum throughput: {@code concurrency} virtual threads each send a message, wait for its
     * answer and send the next. Requests that start in the warm-up are not counted; the measured window is
     * {@code measure} long and counts the requests that started and finished inside it.
     */
    static Result closed(Result result, Target target, int devices, int concurrency, Duration warmup,
            Duration measure, Meter meter) {
        AtomicLong sequence = new AtomicLong();
        AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
        AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> workers = new ArrayList<>(concurrency);
        for (int w = 0; w < concurrency; w++) {
            workers.add(Thread.ofVirtual().name("closed-", w).start(() -> {
                while (!stop.get()) {
                    int device = (int) Math.floorMod(sequence.getAndIncrement(), (long) devices);
                    long start = System.nanoTime();
                    String error = send(target, device);
                    long end = System.nanoTime();
                    if (start >= windowStart.get() && end <= windowEnd.get()) {
                        result.record(error, end - start);
                    }
                }
            }));
        }
        sleep(warmup);
        Meter.Snapshot before = meter.snapshot();
        long start = System.nanoTime();
        windowStart.set(start);
        sleep(measure);
        long end = System.nanoTime();
        windowEnd.set(end);
        meter.finish(result, before);
        result.seconds = (end - start) / 1e9;
        stop.set(true);
        join(workers);
        result.facts.mode = "closed loop, " + concurrency + " concurrent";
        return result;
    }

    /**
     * Open loop at a fixed rate: message i is due at {@code i / rate} seconds and starts then on its own virtual
     * thread whatever the earlier ones are doing; its latency counts from when it was due (so a stalled server or
     * pacer shows in the latency instead of quietly lowering the rate). At most {@code maxInflight} messages are
     * outstanding; past that the pacer waits, and the wait shows in the latency too.
     */
    static Result open(Result result, Target target, int devices, double rate, Duration warmup, Duration measure,
            int maxInflight, Meter meter) {
        Semaphore inflight = new Semaphore(maxInflight);
        long start = System.nanoTime();
        long warmEnd = start + warmup.toNanos();
        long end = warmEnd + measure.toNanos();
        double interval = 1e9 / rate;
        Meter.Snapshot before = null;
        long late = 0;
        SlowRequests slow = new SlowRequests(start);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0;; i++) {
                long due = start + (long) (i * interval);
                if (due >= end) {
                    break;
                }
                if (before == null && due >= warmEnd) {
                    before = meter.snapshot();
                }
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() - due > 1_000_000) {
                    late++;
                }
                inflight.acquireUninterruptibly();
                int device = (int) (i % devices);
                boolean counted = due >= warmEnd;
                executor.execute(() -> {
                    try {
                        String error = send(target, device);
                        if (counted) {
                            long latency = System.nanoTime() - due;
                            result.record(error, latency);
                            slow.record(due, latency);
                        }
                    }
                    finally {
                        inflight.release();
                    }
                });
            }
            if (!inflight.tryAcquire(maxInflight, DRAIN.toSeconds(), TimeUnit.SECONDS)) {
                result.facts.unfinished = OptionalInt.of(maxInflight - inflight.availablePermits());
                executor.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        meter.finish(result, (before != null) ? before : meter.snapshot());
        result.seconds = measure.toNanos() / 1e9;
        result.facts.mode = String.format("open loop, %.0f msg/s", rate);
        result.facts.pacerLate = late;
        result.facts.slowWindows = slow.describe();
        return result;
    }

    /** One message to each of the devices, one after the other: the latency of a lone request. */
    static Result sequential(Result result, Target target, int[] devices, Meter meter) {
        Meter.Snapshot before = meter.snapshot();
        long begin = System.nanoTime();
        for (int device : devices) {
            long start = System.nanoTime();
            String error = send(target, device);
            result.record(error, System.nanoTime() - start);
        }
        result.seconds = (System.nanoTime() - begin) / 1e9;
        meter.finish(result, before);
        result.facts.mode = "one at a time, " + devices.length + " messages";
        return result;
    }

    /**
     * One message to each of the devices, {@code concurrency} at a time; the result's seconds are the time until
     * the last answer (e.g. the time to connect every device through its first message). A 503 with
     * {@code Retry-After} (the gateway pacing its connects) is retried after the time it names, as a well-behaved
     * client would; the retries are counted in the facts.
     */
    static Result each(Result result, Target target, int[] devices, int concurrency, Duration timeout, Meter meter) {
        LongAdder retries = new LongAdder();
        Semaphore permits = new Semaphore(concurrency);
        Meter.Snapshot before = meter.snapshot();
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        int started = 0;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int device : devices) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
                started++;
                executor.execute(() -> {
                    try {
                        long start = System.nanoTime();
                        String error;
                        try {
                            error = target.sendRetrying(device, deadline, retries);
                        }
                        catch (RuntimeException ex) {
                            error = ex.getClass().getSimpleName();
                        }
                        result.record(error, System.nanoTime() - start);
                    }
                    finally {
                        permits.release();
                    }
                });
            }
            if (!permits.tryAcquire(concurrency, DRAIN.toSeconds(), TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        result.seconds = (System.nanoTime() - begin) / 1e9;
        meter.finish(result, before);
        result.facts.mode = "once per device, " + concurrency + " concurrent";
        result.facts.notSent = devices.length - started;
        result.facts.retries = retries.sum();
        return result;
    }

    static String send(Target target, int device) {
        try {
            return target.send(device);
        }
        catch (RuntimeException ex) {
            return ex.getClass().getSimpleName();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(List<Thread> threads) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        for (Thread thread : threads) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    thread.join(Duration.ofNanos(left));
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
