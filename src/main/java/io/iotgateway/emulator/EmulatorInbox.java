package io.iotgateway.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * What the emulator received: the last messages it accepted, oldest first, and how many logins and publishes it
 * refused or kicked. Thread-safe; tests assert through it.
 */
public final class EmulatorInbox {

    private final int capacity;

    private final ArrayDeque<ReceivedMessage> messages;

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition arrived = this.lock.newCondition();

    private final AtomicLong refusedConnects = new AtomicLong();

    private final AtomicLong refusedPublishes = new AtomicLong();

    private final AtomicLong kicks = new AtomicLong();

    EmulatorInbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.messages = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    void record(ReceivedMessage message) {
        this.lock.lock();
        try {
            if (this.messages.size() == this.capacity) {
                this.messages.removeFirst();
            }
            this.messages.addLast(message);
            this.arrived.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

    /** The kept messages, oldest first. */
    public List<ReceivedMessage> messages() {
        this.lock.lock();
        try {
            return List.copyOf(this.messages);
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Waits for a message that matches, whether it already arrived or arrives within the timeout.
     * @return the oldest kept message that matches, or empty when none arrived in time
     */
    public Optional<ReceivedMessage> awaitMessage(Predicate<? super ReceivedMessage> matching, Duration timeout)
            throws InterruptedException {
        long remaining = timeout.toNanos();
        this.lock.lock();
        try {
            while (true) {
                Optional<ReceivedMessage> found = this.messages.stream().filter(matching).findFirst();
                if (found.isPresent() || remaining <= 0) {
                    return found;
                }
                remaining = this.arrived.awaitNanos(remaining);
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Forgets the kept messages and resets the counters. */
    public void clear() {
        this.lock.lock();
        try {
            this.messages.clear();
            this.refusedConnects.set(0);
            this.refusedPublishes.set(0);
            this.kicks.set(0);
        }
        finally {
            this.lock.unlock();
        }
    }

    /** CONNECTs refused: bad client id, username or signature, or a keep-alive out of range. */
    public long refusedConnects() {
        return this.refusedConnects.get();
    }

    /** PUBLISHes refused (forbidden topic, QoS 2, payload too large); each also disconnected its client. */
    public long refusedPublishes() {
        return this.refusedPublishes.get();
    }

    /** Connections closed because the same device logged in again. */
    public long kicks() {
        return this.kicks.get();
    }

    void countRefusedConnect() {
        this.refusedConnects.incrementAndGet();
    }

    void countRefusedPublish() {
        this.refusedPublishes.incrementAndGet();
    }

    void countKick() {
        this.kicks.incrementAndGet();
    }
}
