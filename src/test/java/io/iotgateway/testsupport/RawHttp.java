package io.iotgateway.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client would send: raw bytes in the request line,
 * encoded slashes kept as they are, oversized headers, a head that declares a body it never sends. One request per
 * connection. Everything else goes through {@link GatewayHttpClient}.
 */
public final class RawHttp {

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; reads the answer. */
    public Answer send(String head, byte[] body) throws IOException {
        return send(head.getBytes(StandardCharsets.UTF_8), body);
    }

    public Answer send(byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
            socket.setSoTimeout(15_000);
            // written alongside the reading: the gateway may answer and close before it has read the body
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(head);
                    out.write(("\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
                catch (IOException closedEarly) {
                    // the answer says why
                }
            });
            Answer answer = Answer.read(socket.getInputStream());
            writer.interrupt();
            return answer;
        }
    }

    /** Sends a request whose head declares its own framing; sends no body and reads the answer. */
    public Answer sendHeadOnly(String head) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            return Answer.read(socket.getInputStream());
        }
    }

    /** A parsed answer: status, headers (lower-case names, last value wins) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {

        static Answer read(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    bytes.write(buffer, 0, n);
                }
            }
            catch (IOException reset) {
                if (bytes.size() == 0) {
                    throw reset;
                }
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            // interim answers (100 Continue) come before the real one
            while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0) {
                text = text.substring(text.indexOf("\r\n\r\n") + 4);
            }
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || end < 0) {
                throw new IOException("Not an HTTP answer: " + text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers, text.substring(end + 4));
        }

        public String contentType() {
            return this.headers.getOrDefault("content-type", "");
        }
    }
}
