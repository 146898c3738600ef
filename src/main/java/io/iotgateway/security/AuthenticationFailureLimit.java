package io.iotgateway.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Failed authentications per client address, in a fixed window that starts at the address's first failure. Once an
 * address has had {@code maxFailures}, it is refused for the rest of the window; that is logged once per window.
 * The counters live in a Caffeine cache bounded by {@code maxAddresses} (least recently used forgotten first), each
 * expiring with its window, so neither many addresses nor a long flood grow the memory.
 */
final class AuthenticationFailureLimit {

    private static final Log log = LogFactory.getLog(AuthenticationFailureLimit.class);

    private final int maxFailures;

    private final Duration window;

    private final Ticker ticker;

    private final Cache<String, Window> windows;

    AuthenticationFailureLimit(GatewaySecurityProperties.FailureLimit limit, Ticker ticker) {
        this.maxFailures = limit.maxFailures();
        this.window = limit.window();
        this.ticker = ticker;
        this.windows = Caffeine.newBuilder()
            .maximumSize(limit.maxAddresses())
            // from the first failure on; later failures change the count, not the entry, so not the expiry
            .expireAfter(Expiry.<String, Window>creating((address, counts) -> this.window))
            .ticker(ticker)
            // evict on the caller's thread: the bound holds at once, not after a pool thread catches up
            .executor(Runnable::run)
            .build();
    }

    boolean isOn() {
        return this.maxFailures > 0;
    }

    /** How long the address is still refused: zero unless it reached the limit in its current window. */
    Duration refusedFor(String address) {
        Window current = this.windows.getIfPresent(address);
        if (current == null || current.failures.get() < this.maxFailures) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(1, current.endsAt - this.ticker.read()));
    }

    /** Counts a failed authentication of the address. */
    void failed(String address) {
        Window current = this.windows.get(address, key -> new Window(this.ticker.read() + this.window.toNanos()));
        if (current.failures.incrementAndGet() == this.maxFailures) {
            // once per address and window: the requests refused after it are not counted
            log.warn("Too many failed authentications from " + address + ": " + this.maxFailures + " within "
                    + this.window.toSeconds() + " s. Its requests with an API key get 429 for the rest of the window.");
        }
    }

    private static final class Window {

        final long endsAt;

        final AtomicInteger failures = new AtomicInteger();

        Window(long endsAt) {
            this.endsAt = endsAt;
        }
    }
}
