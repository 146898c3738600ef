package io.iotgateway.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.iotgateway.testsupport.RawHttp;
import io.iotgateway.testsupport.RawHttp.Answer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bounded, seeded fuzz of the HTTP layer (part of the normal suite): a few hundred random requests built from
 * the API's own paths, mutated with encodings, traversal, control and non-ASCII characters, random methods,
 * headers, keys and bodies. Whatever comes in, the gateway answers with a well-formed response, never a 5xx, every
 * error is a problem, and only requests answered with success publish anything. Fails with the seed and request
 * that broke it; set {@code -Dfuzz.seed=...} to replay, {@code -Dfuzz.cases=...} for a longer run.
 */
class HttpFuzzTests extends ApiKeyGatewayTests {

    private static final int CASES = Integer.getInteger("fuzz.cases", 400);

    private static final int INBOX_SIZE = 1000;

    private static final String[] METHODS = { "POST", "POST", "POST", "GET", "GET", "PUT", "DELETE", "PATCH",
            "OPTIONS", "HEAD", "TRACE", "FOO" };

    private static final String[] KEYS = { null, ApiTestClients.FLEET_KEY, ApiTestClients.FLEET_KEY,
            ApiTestClients.PUBLISHER_KEY, ApiTestClients.OTHER_PUBLISHER_KEY, ApiTestClients.ADMIN_KEY, "", "x",
            "wrong-key-with-enough-length-1234567890" };

    private static final String[] PIECES = { "..", ".", "%2e%2e", "%2F", "%2f", "%5C", "%00", "%0a", "%0D", "%09",
            "%20", "%25", "%23", "#", "+", "%2B", ";x=1", "%3B", "//", "%C3%A9", "%E2%82%AC", "%F0%9F%90%91", "%FF",
            "%", "%G1", "~", "!", "$", "&", "'", "(", ")", "*", ",", "=", "@", ":", "a_b", "A", "0", "user", "sheep",
            "é", "\u00a0", "\u2028", "\u0000", "\u007f", " ", "\"", "<", ">", "{", "}", "|", "^", "`", "[", "]" };

    @Test
    void randomRequestsNeverGet5xxAndOnlySuccessesPublish() throws IOException {
        long seed = Long.getLong("fuzz.seed", 20261126L);
        Random random = new Random(seed);
        RawHttp http = new RawHttp(this.port);
        clearInboxWhenQuiet();
        List<String> publishedBodies = new ArrayList<>();
        Map<String, String> requests = new HashMap<>();
        long start = System.nanoTime();

        for (int i = 0; i < CASES; i++) {
            String method = pick(random, METHODS);
            String target = target(random);
            String key = pick(random, KEYS);
            String marker = "fuzz-" + seed + "-" + i + "|";
            byte[] head = head(random, method, target, key);
            String request = new String(head, StandardCharsets.ISO_8859_1);

            Answer answer = http.send(head, body(random, marker));

            String context = "seed " + seed + ", case " + i + ": " + request + "\n-> " + answer;
            requests.put(marker, context);
            if (request.contains("Transfer-Encoding: gzip")) {
                // RFC 9112: an unknown transfer coding is 501, the one 5xx a request can rightly cause
                assertThat(answer.status()).as(context).isIn(400, 501);
            }
            else {
                assertThat(answer.status()).as(context).isBetween(200, 499);
            }
            // actuator's own 404 for an unknown metric (admins only) has no body
            boolean actuatorNotFound = answer.status() == 404 && target.startsWith("/actuator/");
            if (answer.status() >= 400 && !method.equals("HEAD") && !actuatorNotFound) {
                assertThat(answer.contentType()).as(context).isEqualTo("application/problem+json");
                assertThat(answer.body()).as(context).contains("\"status\":" + answer.status());
            }
            if (answer.status() < 300 && method.equals("POST")) {
                assertThat(key).as(context).isIn(ApiTestClients.FLEET_KEY, ApiTestClients.PUBLISHER_KEY);
                publishedBodies.add(marker);
            }
        }

        // the emulator keeps the last 1000 messages: long runs check only that nothing else was published
        int expected = Math.min(publishedBodies.size(), INBOX_SIZE);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> arrived = fuzzMessages();
            // on a timeout, name what did not arrive, with its request and answer
            assertThat(arrived.size()).as(() -> "accepted but not (yet) at the platform: " + publishedBodies.stream()
                .filter(marker -> !arrived.contains(marker))
                .map(requests::get)
                .toList()).isGreaterThanOrEqualTo(expected);
        });
        for (String published : fuzzMessages()) {
            assertThat(publishedBodies).as("published without success: " + requests.get(published))
                .contains(published);
        }
        if (publishedBodies.size() < INBOX_SIZE) {
            assertThat(fuzzMessages()).containsExactlyInAnyOrderElementsOf(publishedBodies);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(50L * CASES));
    }

    private List<String> fuzzMessages() {
        return this.inbox.messages()
            .stream()
            .map(message -> message.payloadAsString())
            .filter(payload -> payload.startsWith("fuzz-") && payload.contains("|"))
            .map(payload -> payload.substring(0, payload.indexOf('|') + 1))
            .toList();
    }

    /** A path of the API, then mutated: pieces replaced or inserted, query strings appended. */
    private static String target(Random random) {
        List<String> segments = new ArrayList<>(switch (random.nextInt(6)) {
            case 0 -> List.of("api", "v1", "devices");
            case 1 -> List.of("api", "v1", "devices", ApiTestClients.PRODUCT, FUZZ_DEVICE);
            case 2 -> List.of("api", "v1", "admin", "devices");
            case 3 -> List.of("actuator", random.nextBoolean() ? "health" : "metrics");
            default -> List.of("api", "v1", "devices", ApiTestClients.PRODUCT, FUZZ_DEVICE, "user", "fuzz");
        });
        int mutations = random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            String piece = pick(random, PIECES);
            int at = random.nextInt(segments.size() + 1);
            if (random.nextBoolean() && at < segments.size() && !segments.get(at).equals(FUZZ_DEVICE)) {
                segments.set(at, random.nextBoolean() ? piece : segments.get(at) + piece);
            }
            else {
                segments.add(at, piece);
            }
        }
        String path = "/" + String.join("/", segments);
        return switch (random.nextInt(5)) {
            case 0 -> path + "?qos=" + pick(random, new String[] { "0", "1", "2", "-1", "", "01", "1&qos=0", "%31",
                    "x", "99999999999" });
            case 1 -> path + "?" + pick(random, PIECES);
            default -> path;
        };
    }

    private static byte[] head(Random random, String method, String target, String key) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost");
        if (key != null) {
            head.append(random.nextInt(4) == 0 ? "\r\nAuthorization: Bearer " : "\r\nX-API-Key: ").append(key);
        }
        if (random.nextBoolean()) {
            head.append("\r\nContent-Type: ")
                .append(pick(random, new String[] { "text/plain", "application/json", "application/octet-stream",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "*/*", "x", ";;" }));
        }
        if (random.nextInt(4) == 0) {
            head.append("\r\nIdempotency-Key: ").append(pick(random, PIECES)).append(random.nextInt(1000));
        }
        if (random.nextInt(4) == 0) {
            head.append("\r\n")
                .append(pick(random, new String[] { "Accept: */*;q=x", "Accept: application/problem+json",
                        "Accept: text/html", "Accept: ;", "Accept-Charset: nonsense", "Transfer-Encoding: chunked",
                        "Transfer-Encoding: gzip", "Content-Encoding: gzip", "Expect: 100-continue",
                        "Expect: nonsense", "Authorization: Basic YWRtaW46YWRtaW4=", "Authorization: Bearer",
                        "Range: bytes=0-1", "X-Forwarded-For: 1.2.3.4", "Host: other", "Content-Length: 3",
                        "Cookie: JSESSIONID=x", "Origin: http://evil.example" }));
        }
        if (random.nextInt(8) == 0) {
            head.append("\r\nX-Pad: ").append("p".repeat(random.nextInt(12_000)));
        }
        // raw bytes as they come, non-ASCII included: ISO-8859-1 keeps each char one byte
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    /** The marker, then nothing, random bytes, or enough padding to go over the payload limit. */
    private static byte[] body(Random random, String marker) {
        byte[] suffix = switch (random.nextInt(5)) {
            case 0 -> new byte[256 * 1024 + random.nextInt(1000)];
            case 1 -> new byte[random.nextInt(2000)];
            default -> new byte[0];
        };
        random.nextBytes(suffix);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(marker.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(suffix);
        return body.toByteArray();
    }

    private static <T> T pick(Random random, T[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
