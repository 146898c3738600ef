package io.iotgateway.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GB body without Content-Length (chunked) is cut off early: the gateway answers 413 after reading one byte
 * past the limit, Tomcat drains at most {@code server.tomcat.max-swallow-size} more and closes the connection, and
 * the heap does not grow with the body.
 */
class RequestSizeLimitIntegrationTests extends ApiKeyGatewayTests {

    private static final long ONE_GB = 1L << 30;

    private static final int CHUNK = 64 * 1024;

    @Test
    void chunkedGigabyteIsCutOffEarlyWithFlatMemory() throws Exception {
        clearInboxWhenQuiet();
        long heapBefore = usedHeapAfterGc();
        long sent = 0;
        long start = System.nanoTime();
        String answer;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
            socket.setSoTimeout(30_000);
            // the answer comes while the body is still being sent: read it from the start
            CompletableFuture<String> reply = readAll(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + ApiTestClients.DEMO_PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-API-Key: " + ApiTestClients.FLEET_KEY + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = chunk();
            try {
                while (sent < ONE_GB && !reply.isDone()) {
                    out.write(chunk);
                    sent += chunk.length;
                }
            }
            catch (IOException closedByTheGateway) {
                // expected: the gateway stops reading and closes the connection
            }
            answer = reply.get(30, TimeUnit.SECONDS);
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long heapGrowth = usedHeapAfterGc() - heapBefore;

        assertThat(answer).startsWith("HTTP/1.1 413")
            .contains("application/problem+json", "urn:iot-gateway:problem:payload-too-large");
        assertThat(sent).as("bytes sent before the gateway cut the body off").isLessThan(64L << 20);
        assertThat(elapsedMillis).isLessThan(10_000);
        assertThat(heapGrowth).as("heap growth").isLessThan(32L << 20);
        // other test classes share this context and its emulator: only this device's topic tells
        assertThat(this.inbox.messages())
            .noneMatch(message -> message.topic().equals("/" + ApiTestClients.PRODUCT + "/mosheep/user/sheep"));
    }

    /** Completes with the first complete answer (or what came before the connection ended). */
    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while (!isComplete(bytes.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buffer)) > 0) {
                    bytes.write(buffer, 0, n);
                }
            }
            catch (IOException reset) {
                // a reset after the answer arrived loses nothing we need
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }, task -> Thread.ofVirtual().start(task));
    }

    private static boolean isComplete(String answer) {
        int headEnd = answer.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(answer.substring(0, headEnd));
        return length.find() ? answer.length() - headEnd - 4 >= Integer.parseInt(length.group(1))
                : answer.endsWith("\r\n0\r\n\r\n");
    }

    private static byte[] chunk() {
        byte[] header = (Integer.toHexString(CHUNK - 8) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[CHUNK];
        System.arraycopy(header, 0, chunk, 0, header.length);
        // chunk = size line + data + CRLF, CHUNK bytes in all
        int data = CHUNK - 8;
        java.util.Arrays.fill(chunk, header.length, header.length + data, (byte) 'x');
        chunk[header.length + data] = '\r';
        chunk[header.length + data + 1] = '\n';
        return java.util.Arrays.copyOf(chunk, header.length + data + 2);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
