package io.iotgateway.mqtt;

import java.time.Instant;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway knows about one device's connection, recorded as it happens and read as a
 * {@link ConnectionStatus} by the devices API and health. Written by the device's connection only, each field on
 * its own (a reader may see one change before another, never a value that was not true).
 */
final class ConnectionHistory {

    private volatile ConnectionState state = ConnectionState.IDLE;

    private volatile @Nullable ProblemType lastProblem;

    private volatile @Nullable String lastError;

    private volatile @Nullable Instant lastErrorAt;

    private volatile @Nullable Instant lastConnectedAt;

    private volatile @Nullable Instant lastPublishedAt;

    private volatile @Nullable Instant retryAt;

    ConnectionState state() {
        return this.state;
    }

    @Nullable Instant lastConnectedAt() {
        return this.lastConnectedAt;
    }

    @Nullable Instant retryAt() {
        return this.retryAt;
    }

    void connecting() {
        this.state = ConnectionState.CONNECTING;
    }

    /** Connected: the last problem is over (its error stays, with its time, as history). */
    void connected(Instant now) {
        this.lastConnectedAt = now;
        this.retryAt = null;
        this.lastProblem = null;
        this.state = ConnectionState.CONNECTED;
    }

    /** The connection dropped; nothing can be published until it is back. */
    void lost(Instant now, ProblemType problem, String error) {
        error(now, problem, error);
        this.state = ConnectionState.DISCONNECTED;
    }

    /** A login failed or the device was kicked: it stays away until {@code retryAt}. */
    void failed(Instant now, ProblemType problem, String error, Instant retryAt) {
        error(now, problem, error);
        this.retryAt = retryAt;
        this.state = ConnectionState.FAILED;
    }

    /** A publish failed on a connection that is still up. */
    void error(Instant now, ProblemType problem, String error) {
        this.lastProblem = problem;
        this.lastError = error;
        this.lastErrorAt = now;
    }

    /** Published: whatever went wrong before is over. */
    void published(Instant now) {
        this.lastPublishedAt = now;
        this.lastProblem = null;
    }

    ConnectionStatus snapshot(DeviceId device) {
        return new ConnectionStatus(device, this.state, this.lastProblem, this.lastError, this.lastErrorAt,
                this.lastConnectedAt, this.lastPublishedAt, this.retryAt);
    }
}
