package io.iotgateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs the payload to {@code /api/v1/devices/{pk}/{dn}/user/bench?qos=Q} over HTTP/1.1 keep-alive connections
 * of one {@link HttpClient} (it keeps a connection per concurrent request and reuses it), from the caller's
 * (virtual) thread. The requests are built once per device.
 */
final class HttpTarget implements Target {

    private static final String PROBLEM_PREFIX = "urn:iot-gateway:problem:";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final HttpClient[] clients;

    private final HttpRequest[] requests;

    /**
     * @param clients how many {@link HttpClient}s share the load (each has one selector thread); device i uses
     * client i mod clients
     */
    HttpTarget(String baseUrl, String productKey, List<String> deviceNames, int qos, byte[] payload, int clients) {
        this.clients = new HttpClient[clients];
        for (int i = 0; i < clients; i++) {
            this.clients[i] = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(this.executor)
                .build();
        }
        this.requests = new HttpRequest[deviceNames.size()];
        for (int i = 0; i < this.requests.length; i++) {
            this.requests[i] = HttpRequest
                .newBuilder(URI.create(baseUrl + "/api/v1/devices/" + productKey + "/" + deviceNames.get(i)
                        + "/user/bench?qos=" + qos))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        }
    }

    @Override
    public String send(int device) {
        try {
            return error(client(device).send(this.requests[device], HttpResponse.BodyHandlers.ofByteArray()));
        }
        catch (IOException ex) {
            return ex.getClass().getSimpleName();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public String sendRetrying(int device, long deadlineNanos, LongAdder retries) {
        while (true) {
            HttpResponse<byte[]> response;
            try {
                response = client(device).send(this.requests[device], HttpResponse.BodyHandlers.ofByteArray());
            }
            catch (IOException ex) {
                return ex.getClass().getSimpleName();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            String error = error(response);
            long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(-1);
            if (error == null || response.statusCode() != 503 || retryAfter < 0
                    || System.nanoTime() + TimeUnit.SECONDS.toNanos(retryAfter) > deadlineNanos) {
                return error;
            }
            retries.increment();
            Load.sleep(Duration.ofSeconds(Math.max(1, retryAfter)));
        }
    }

    private HttpClient client(int device) {
        return this.clients[device % this.clients.length];
    }

    private static String error(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return null;
        }
        return "HTTP " + status + problemType(response.body()).map(type -> " " + type).orElse("");
    }

    /** The type of a problem-details answer (RFC 9457), without the gateway's own prefix. */
    private static Optional<String> problemType(byte[] body) {
        try {
            JsonNode type = JsonMapper.shared().readTree(body).path("type");
            if (!type.isString()) {
                return Optional.empty();
            }
            String text = type.asString();
            return Optional.of(text.startsWith(PROBLEM_PREFIX) ? text.substring(PROBLEM_PREFIX.length()) : text);
        }
        catch (JacksonException ex) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        for (HttpClient client : this.clients) {
            client.shutdownNow();
            try {
                client.awaitTermination(Duration.ofSeconds(5));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        this.executor.shutdownNow();
        try {
            this.executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
