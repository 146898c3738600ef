package io.iotgateway.cluster;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.iotgateway.testsupport.GatewayHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Requests at a steady total rate, as callers behind a load balancer send them: each one publishes a unique
 * payload at QoS 1 as the next device (round robin over all devices) through the next replica in rotation (round
 * robin, shifted by one every round over the devices, so each device meets every replica), on a virtual thread of
 * its own. Every request is kept as an {@link Exchange}: replica, device, payload, answer, {@code Retry-After} and
 * times. Nothing is sent in a tick when no replica is in rotation.
 */
final class Traffic implements AutoCloseable {

    /** A replica requests can go to now. */
    record Target(String name, GatewayHttpClient publisher) {
    }

    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"urn:iot-gateway:problem:([^\"]+)\"");

    private final Supplier<List<Target>> targets;

    private final List<String> devices;

    private final long intervalNanos;

    private final Duration requestTimeout;

    private final String runId;

    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();

    private final List<Exchange> exchanges = new ArrayList<>();

    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    private final AtomicLong sequence = new AtomicLong();

    private final AtomicLong idleTicks = new AtomicLong();

    private final Thread pacer;

    private final long startedNanos = System.nanoTime();

    private volatile boolean running = true;

    private Traffic(Supplier<List<Target>> targets, List<String> devices, int perSecond, Duration requestTimeout,
            String runId) {
        this.targets = targets;
        this.devices = List.copyOf(devices);
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.requestTimeout = requestTimeout;
        this.runId = runId;
        this.pacer = Thread.ofPlatform().daemon().name("traffic-pacer-" + runId).unstarted(this::pace);
    }

    /**
     * Starts sending {@code perSecond} requests a second until {@link #stop}.
     * @param runId makes the payloads of this traffic unique in the broker's whole run
     */
    static Traffic start(Supplier<List<Target>> targets, List<String> devices, int perSecond,
            Duration requestTimeout, String runId) {
        Traffic traffic = new Traffic(targets, devices, perSecond, requestTimeout, runId);
        traffic.pacer.start();
        return traffic;
    }

    /** The requests answered (or failed) so far, in the order they were sent. */
    List<Exchange> exchanges() {
        synchronized (this.exchanges) {
            List<Exchange> copy = new ArrayList<>(this.exchanges);
            copy.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
            return copy;
        }
    }

    /** {@link System#nanoTime()} when it started: before its first request. */
    long startedNanos() {
        return this.startedNanos;
    }

    /** Requests sent to {@code replica} and not answered yet. */
    int inFlight(String replica) {
        AtomicInteger count = this.inFlight.get(replica);
        return (count != null) ? count.get() : 0;
    }

    /** Ticks with no replica in rotation, when nothing was sent. */
    long idleTicks() {
        return this.idleTicks.get();
    }

    /**
     * Stops sending and waits at most {@code timeout} for the requests in flight; returns every exchange.
     * @throws AssertionError if requests are still unanswered then (their own timeout should have ended them)
     */
    List<Exchange> stop(Duration timeout) {
        this.running = false;
        this.pacer.interrupt();
        try {
            this.pacer.join(Duration.ofSeconds(5));
            this.requests.shutdown();
            if (!this.requests.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Requests still in flight " + timeout.toSeconds() + " s after the traffic "
                        + "stopped: " + this.inFlight);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        return exchanges();
    }

    @Override
    public void close() {
        this.running = false;
        this.pacer.interrupt();
        this.requests.shutdownNow();
    }

    private void pace() {
        long next = System.nanoTime();
        while (this.running) {
            next += this.intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!this.running || Thread.currentThread().isInterrupted()) {
                return;
            }
            List<Target> now = this.targets.get();
            if (now.isEmpty()) {
                this.idleTicks.incrementAndGet();
                continue;
            }
            long seq = this.sequence.getAndIncrement();
            String device = this.devices.get((int) (seq % this.devices.size()));
            Target target = now.get((int) ((seq + seq / this.devices.size()) % now.size()));
            this.inFlight.computeIfAbsent(target.name(), (name) -> new AtomicInteger()).incrementAndGet();
            this.requests.execute(() -> send(seq, target, device));
        }
    }

    private void send(long seq, Target target, String device) {
        String payload = this.runId + "/" + seq + "/" + device;
        long sent = System.nanoTime();
        Exchange exchange;
        try {
            HttpResponse<String> answer = target.publisher()
                .withTimeout(this.requestTimeout)
                .post(ClusterDevices.publishPath(device), "text/plain", payload);
            exchange = new Exchange(seq, target.name(), device, payload, answer.statusCode(),
                    answer.headers().firstValue("Retry-After").orElse(null), problemType(answer.body()), null, sent,
                    System.nanoTime());
        }
        catch (UncheckedIOException ex) {
            int status = (ex.getCause() instanceof HttpTimeoutException) ? Exchange.TIMED_OUT : Exchange.FAILED;
            exchange = new Exchange(seq, target.name(), device, payload, status, null, null, String.valueOf(ex.getCause()),
                    sent, System.nanoTime());
        }
        catch (RuntimeException ex) {
            exchange = new Exchange(seq, target.name(), device, payload, Exchange.FAILED, null, null, ex.toString(),
                    sent, System.nanoTime());
        }
        synchronized (this.exchanges) {
            this.exchanges.add(exchange);
        }
        this.inFlight.get(target.name()).decrementAndGet();
    }

    private static @Nullable String problemType(String body) {
        Matcher type = PROBLEM_TYPE.matcher(body);
        return type.find() ? type.group(1) : null;
    }

    /**
     * One request and its answer.
     * @param status the HTTP status, {@link #TIMED_OUT} or {@link #FAILED} (refused, reset)
     * @param problemType the problem's type after {@code urn:iot-gateway:problem:}, or {@code null}
     * @param sentNanos {@link System#nanoTime()} when it was sent
     */
    record Exchange(long sequence, String replica, String device, String payload, int status,
            @Nullable String retryAfter, @Nullable String problemType, @Nullable String error, long sentNanos,
            long answeredNanos) {

        /** No answer within the request timeout. */
        static final int TIMED_OUT = -2;

        /** No answer: connection refused or reset. */
        static final int FAILED = -1;

        boolean acknowledged() {
            return this.status == 200;
        }

        /** The status with the problem type, e.g. {@code 503/device-moving}, {@code timed-out}, {@code failed}. */
        String outcome() {
            return switch (this.status) {
                case TIMED_OUT -> "timed-out";
                case FAILED -> "failed";
                default -> (this.problemType != null) ? this.status + "/" + this.problemType : "" + this.status;
            };
        }

        Duration latency() {
            return Duration.ofNanos(this.answeredNanos - this.sentNanos);
        }

    }

}
