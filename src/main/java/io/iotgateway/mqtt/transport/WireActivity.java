package io.iotgateway.mqtt.transport;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;

import org.jspecify.annotations.Nullable;

/**
 * What a device's network module shares with its connection: when a byte last arrived from the platform (so that
 * a missing PUBACK can be told from a dead connection) and a way to drop the socket with a reset.
 */
final class WireActivity {

    private volatile long lastInboundNanos = System.nanoTime();

    private volatile @Nullable Socket socket;

    /** The time of {@link System#nanoTime()} when the last byte arrived (or the connection was opened). */
    long lastInboundNanos() {
        return this.lastInboundNanos;
    }

    boolean opened() {
        return this.socket != null;
    }

    /** Called by the network module once its socket is connected and ready for MQTT. */
    void opened(Socket socket) throws SocketException {
        // Paho sets a one-second read timeout so that its receiver can poll for shutdown; on the PahoExecutor the
        // receiver is a virtual thread that Paho stops by interrupting it, which ends its blocked read at once, so
        // the poll would only cost 10,000 SocketTimeoutExceptions a second with 10,000 idle devices
        socket.setSoTimeout(0);
        this.socket = socket;
        this.lastInboundNanos = System.nanoTime();
    }

    InputStream recording(InputStream in) {
        return new FilterInputStream(in) {

            @Override
            public int read() throws IOException {
                int read = super.read();
                arrived(read >= 0 ? 1 : 0);
                return read;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = super.read(buffer, offset, length);
                arrived(read);
                return read;
            }
        };
    }

    private void arrived(int bytes) {
        if (bytes > 0) {
            this.lastInboundNanos = System.nanoTime();
        }
    }

    /**
     * Closes the socket with a reset: what the kernel still holds unsent is discarded instead of being delivered
     * whenever a partition heals, so that a message already answered with an error does not arrive minutes later.
     */
    void reset() {
        Socket open = this.socket;
        if (open == null) {
            return;
        }
        try {
            open.setSoLinger(true, 0);
            open.close();
        }
        catch (IOException ex) {
            // closed already
        }
    }
}
