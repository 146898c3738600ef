package io.iotgateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run's own HTTP client for asking a server how it is (readiness, health, the device list), apart from the
 * clients that carry the load.
 */
final class Probe {

    private final HttpClient control = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();

    private final Path jcmd;

    private final Findings findings;

    /**
     * @param jcmd for a thread dump of a server that does not get ready
     * @param findings where the notes of what went wrong on the way go
     */
    Probe(Path jcmd, Findings findings) {
        this.jcmd = jcmd;
        this.findings = findings;
    }

    /** Polls {@code url} until it answers 200 and returns the seconds since the server was started. */
    double awaitReady(Child child, String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.process().isAlive()) {
                throw new IllegalStateException(child.name() + " exited with " + child.process().exitValue() + ": "
                        + child.tail());
            }
            try {
                HttpResponse<Void> response = this.control.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return (System.nanoTime() - child.started()) / 1e9;
                }
                if (response.statusCode() == 401 || response.statusCode() == 403) {
                    this.findings.note(url + " answered " + response.statusCode() + "; the run went on");
                    return (System.nanoTime() - child.started()) / 1e9;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            Load.sleep(Duration.ofMillis(100));
        }
        throw notReady(child, timeout);
    }

    // once a 10,000-device gateway logged its start and then nothing for 180 s: keep its threads for a look
    private IllegalStateException notReady(Child child, Duration timeout) {
        Path dump = child.log().resolveSibling(child.name() + "-not-ready-threads.txt");
        try {
            Files.writeString(dump, Processes.output(List.of(this.jcmd.toString(), Long.toString(child.pid()),
                    "Thread.print"), Duration.ofSeconds(60)));
        }
        catch (IOException ex) {
            this.findings.note("jcmd Thread.print for " + child.name() + " failed: " + ex.getMessage());
        }
        return new IllegalStateException(child.name() + " was not ready after " + timeout.toSeconds() + " s (threads: "
                + dump.getFileName() + "): " + child.tail());
    }

    /** The JSON answer of a GET (as {@link #get}); empty when there is none or it is not JSON. */
    Optional<JsonNode> json(String url) {
        String body = get(url);
        if (body == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonMapper.shared().readTree(body));
        }
        catch (JacksonException ex) {
            return Optional.empty();
        }
    }

    /** The body of a GET answered with 2xx or 503 (health that is DOWN), else {@code null}. */
    String get(String url) {
        try {
            HttpResponse<String> response = this.control.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());
            return (response.statusCode() / 100 == 2 || response.statusCode() == 503) ? response.body() : null;
        }
        catch (IOException ex) {
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
