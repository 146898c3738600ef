package io.iotgateway.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Different loopback ports, each free when picked, for servers that need their port before they start (cluster
 * members list each other's). Picked at random below Linux's ephemeral range: a port there from
 * {@code new ServerSocket(0)} was taken by the members' own outgoing connections before one could bind it.
 */
public final class FreePorts {

    private static final int FIRST_PORT = 20_000;

    private static final int LAST_PORT = 32_000;

    private FreePorts() {
    }

    /** {@code count} different ports, held together while picked so that they differ. */
    public static List<Integer> distinct(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int attempt = 0; held.size() < count; attempt++) {
                if (attempt == 1000) {
                    throw new IllegalStateException("No " + count + " free ports in " + FIRST_PORT + "-" + LAST_PORT);
                }
                int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT + 1);
                try {
                    held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                }
                catch (IOException busy) {
                    // another try
                }
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        }
        finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                }
                catch (IOException ex) {
                    // only a number to us
                }
            }
        }
    }
}
