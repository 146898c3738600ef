package io.iotgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;

/**
 * Plain HTTP to the gateway under test on {@code 127.0.0.1:<port>}, every request bounded: 5 s to connect, 30 s
 * for the answer unless {@link #withTimeout} says otherwise. Bodies go as sent (String as UTF-8, or exact bytes),
 * answers come back with their body as a String. Headers are name-value pairs, as in
 * {@link HttpRequest.Builder#headers(String...)}:
 * <pre>{@code
 * GatewayHttpClient http = new GatewayHttpClient(port).withHeaders("X-API-Key", key);
 * http.post("/api/v1/devices/a61QmwQD5ZF/mosheep/user/sheep", "text/plain", "baa", "Idempotency-Key", "k1");
 * }</pre>
 * A failed exchange (refused, reset, timed out) throws {@link UncheckedIOException}. Requests no well-behaved client
 * would send (raw bytes, oversized or malformed heads) go through {@link RawHttp} instead.
 */
public final class GatewayHttpClient {

    /** How long a connection may take to open. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** How long an answer may take, unless {@link #withTimeout} says otherwise. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    // virtual threads: a burst of hundreds of concurrent requests costs the JVM under test no platform threads
    private final HttpClient http;

    private final String baseUrl;

    private final Duration timeout;

    private final List<String> headers;

    private final @Nullable List<String> transcript;

    public GatewayHttpClient(int port) {
        this(HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build(), "http://127.0.0.1:" + port, REQUEST_TIMEOUT, List.of(), null);
    }

    private GatewayHttpClient(HttpClient http, String baseUrl, Duration timeout, List<String> headers,
            @Nullable List<String> transcript) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.headers = List.copyOf(headers);
        this.transcript = transcript;
    }

    /** The same client with another bound on each answer. */
    public GatewayHttpClient withTimeout(Duration timeout) {
        return new GatewayHttpClient(this.http, this.baseUrl, timeout, this.headers, this.transcript);
    }

    /** The same client sending these headers (name-value pairs) with every request, e.g. an API key. */
    public GatewayHttpClient withHeaders(String... headers) {
        List<String> all = new ArrayList<>(this.headers);
        all.addAll(pairs(headers));
        return new GatewayHttpClient(this.http, this.baseUrl, this.timeout, all, this.transcript);
    }

    /**
     * The same client keeping every answer from now on (status, headers and body) in its {@link #transcript()}: for
     * a test that checks that none of them carried a secret.
     */
    public GatewayHttpClient recording() {
        return new GatewayHttpClient(this.http, this.baseUrl, this.timeout, this.headers,
                new CopyOnWriteArrayList<>());
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public HttpResponse<String> head(String path, String... headers) {
        return send(request(path, headers).HEAD());
    }

    public HttpResponse<String> delete(String path, String... headers) {
        return send(request(path, headers).DELETE());
    }

    /** POSTs {@code body} as UTF-8; a {@code null} content type sends none. */
    public HttpResponse<String> post(String path, @Nullable String contentType, String body, String... headers) {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** POSTs exactly these bytes; a {@code null} content type sends none. */
    public HttpResponse<String> post(String path, @Nullable String contentType, byte[] body, String... headers) {
        return send(withContentType(request(path, headers), contentType).POST(BodyPublishers.ofByteArray(body)));
    }

    /** PUTs {@code body} as UTF-8; a {@code null} content type sends none. */
    public HttpResponse<String> put(String path, @Nullable String contentType, String body, String... headers) {
        BodyPublisher publisher = BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        return send(withContentType(request(path, headers), contentType).PUT(publisher));
    }

    /**
     * A request to {@code path} with this client's timeout and headers, for what the methods above do not send
     * (a chunked body, say); send it with {@link #send(HttpRequest.Builder)}.
     */
    public HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(this.timeout);
        List<String> all = new ArrayList<>(this.headers);
        all.addAll(pairs(headers));
        if (!all.isEmpty()) {
            request.headers(all.toArray(String[]::new));
        }
        return request;
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = this.http.send(request.build(), BodyHandlers.ofString());
            if (this.transcript != null) {
                this.transcript.add(response.statusCode() + " " + response.headers().map() + "\n" + response.body());
            }
            return response;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the gateway's answer", ex);
        }
    }

    public URI uri(String path) {
        return URI.create(this.baseUrl + path);
    }

    /** Every answer since {@link #recording()}: status lines, headers and bodies. */
    public List<String> transcript() {
        if (this.transcript == null) {
            throw new IllegalStateException("Not recording: use recording() for a client that keeps its answers");
        }
        return List.copyOf(this.transcript);
    }

    private static HttpRequest.Builder withContentType(HttpRequest.Builder request, @Nullable String contentType) {
        return (contentType != null) ? request.header("Content-Type", contentType) : request;
    }

    private static List<String> pairs(String[] headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("Headers go as name-value pairs: " + List.of(headers));
        }
        return List.of(headers);
    }
}
