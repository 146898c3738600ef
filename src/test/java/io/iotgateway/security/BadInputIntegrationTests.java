package io.iotgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.iotgateway.testsupport.RawHttp;
import io.iotgateway.testsupport.RawHttp.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.iotgateway.security.ApiTestClients.ADMIN_KEY;
import static io.iotgateway.security.ApiTestClients.FLEET_KEY;
import static io.iotgateway.security.ApiTestClients.OTHER_PUBLISHER_KEY;
import static io.iotgateway.security.ApiTestClients.PUBLISHER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint against requests that are wrong in one way each: each gets its own 4xx as a problem, none a 5xx,
 * and nothing reaches the broker. Requests go over a raw socket, so that nothing is cleaned up on the way.
 */
class BadInputIntegrationTests extends ApiKeyGatewayTests {

    private static final String DEVICE = "/api/v1/devices/a61QmwQD5ZF/mosheep";

    @BeforeEach
    void clearInbox() {
        clearInboxWhenQuiet();
    }

    @AfterEach
    void nothingReachedTheBroker() {
        assertThat(this.inbox.messages()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // who: missing key, wrong key, wrong scope, wrong role
            "POST | DEVICE/user/sheep                   | -        | 401 | unauthenticated",
            "POST | DEVICE/user/sheep                   | wrong    | 401 | invalid-api-key",
            "POST | DEVICE/user/sheep                   | other    | 403 | product-forbidden",
            "GET  | DEVICE                              | other    | 403 | product-forbidden",
            "POST | DEVICE/user/sheep                   | admin    | 403 | forbidden",
            "GET  | /api/v1/admin/devices               | erp      | 403 | forbidden",
            "GET  | /api/v1/admin/devices               | -        | 401 | unauthenticated",
            "GET  | /actuator/metrics                   | erp      | 403 | forbidden",
            "GET  | /api/v1/devices                     | wrong    | 401 | invalid-api-key",
            // what: qos, topics, devices
            "POST | DEVICE/user/sheep?qos=2             | fleet    | 400 | invalid-qos",
            "POST | DEVICE/user/sheep?qos=x             | fleet    | 400 | invalid-qos",
            "POST | DEVICE/user/sheep?qos=-1            | fleet    | 400 | invalid-qos",
            "POST | DEVICE/user/sheep?qos=1&qos=0       | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/sheep?QOS=0             | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/sheep?qos=0&retain=1    | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/sheep?Qos               | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/                        | fleet    | 400 | invalid-topic",
            "POST | DEVICE/user/a/+/b                   | fleet    | 400 | invalid-topic",
            "POST | DEVICE/user/%23                     | fleet    | 400 | invalid-topic",
            "POST | DEVICE/user/a/b/c/d/e               | fleet    | 400 | invalid-topic",
            "POST | DEVICE/user/sh%20eep                | fleet    | 400 | invalid-topic",
            "POST | DEVICE/user/sh%C3%A9ep              | fleet    | 400 | invalid-topic",
            "POST | DEVICE/user/LONGTOPIC               | fleet    | 400 | invalid-topic",
            "POST | /api/v1/devices/a61QmwQD5ZF/mosh%C3%A9ep/user/sheep | fleet | 400 | invalid-device",
            "POST | /api/v1/devices/a61QmwQD5ZF/x/user/sheep | fleet  | 400 | invalid-device",
            "POST | /api/v1/devices/a61QmwQD5ZF/nosuchsheep/user/sheep | fleet | 404 | unknown-device",
            "GET  | /api/v1/devices/a61QmwQD5ZF/nosuchsheep | fleet   | 404 | unknown-device",
            // a malformed device is 400 when it is read too, as when publishing and in the admin API
            "GET  | /api/v1/devices/a61QmwQD5ZF/x       | fleet    | 400 | invalid-device",
            "GET  | /api/v1/devices/pk-with-dash/mosheep | admin   | 400 | invalid-device",
            "POST | /api/v1/devices/pk-with-dash/mosheep/user/sheep | fleet | 400 | invalid-device",
            // path tricks: traversal, encoded separators, control characters
            "POST | DEVICE/user/../../../admin/devices  | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/%2e%2e/%2e%2e/sheep     | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/a%2Fb                   | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/a%5Cb                   | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/a%00b                   | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/a%0Ab                   | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/a%0Db                   | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/a%09b                   | fleet    | 400 | invalid-topic",
            "POST | DEVICE/user/a%7Fb                   | fleet    | 400 | invalid-topic",
            "POST | DEVICE/user/sheep;jsessionid=x      | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/a%3Bb                   | fleet    | 400 | invalid-request",
            "POST | DEVICE/user/a%25b                   | fleet    | 400 | invalid-request",
            "POST | /api/v1//devices/a61QmwQD5ZF/mosheep/user/sheep | fleet | 400 | invalid-request",
            // methods and paths the API does not have
            "PUT  | DEVICE/user/sheep                   | fleet    | 405 | about:blank",
            "DELETE | DEVICE                            | fleet    | 405 | about:blank",
            "GET  | /api/v1/nothing-here                | fleet    | 404 | about:blank",
            "GET  | /api/v1/nothing-here                | -        | 401 | unauthenticated" })
    void eachBadRequestGetsItsOwnProblem(String method, String target, String caller, int status, String problem)
            throws IOException {
        String path = target.replace("DEVICE", DEVICE).replace("LONGTOPIC", "t".repeat(200));

        Answer answer = new RawHttp(this.port).send(method + " " + path + " HTTP/1.1\r\nHost: localhost"
                + keyHeader(caller) + "\r\nContent-Type: text/plain", "baa".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"status\":" + status);
        if (problem.equals("about:blank")) {
            // Spring's own problems leave out the default type
            assertThat(answer.body()).doesNotContain("urn:iot-gateway:problem:");
        }
        else {
            assertThat(answer.body()).contains("\"type\":\"urn:iot-gateway:problem:" + problem + "\"");
        }
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "header of 10 KB           | 400 | invalid-request",
            "URI of 10 KB              | 400 | invalid-request",
            "raw UTF-8 in the path     | 400 | invalid-request",
            "raw tab in the path       | 400 | invalid-request",
            "Content-Length not a number | 400 | invalid-request",
            "Content-Length of 1 TB    | 413 | payload-too-large",
            "body of 256 KB + 1        | 413 | payload-too-large",
            "Idempotency-Key too long  | 400 | invalid-request",
            "Idempotency-Key with space | 400 | invalid-request",
            "control character in a header | 400 | invalid-request",
            "C1 control character in the API key | 400 | invalid-request",
            "API key of 1000 characters | 401 | invalid-api-key",
            "empty API key             | 401 | invalid-api-key",
            "HTTP/1.0 with no Host     | 401 | unauthenticated",
            // found by HttpFuzzTests: each was a 500, an empty answer, or a publish answered with an error
            "wildcard Content-Type on the health probe | 400 | invalid-request",
            "malformed Accept          | 400 | invalid-request",
            "publish accepting only HTML | 406 | not-acceptable",
            "publish accepting only HTML, path percent-encoded | 406 | not-acceptable",
            "broken escape in the query | 400 | invalid-request",
            "broken escape in an admin query | 400 | invalid-request",
            "admin write accepting only HTML | 406 | not-acceptable",
            "form body on PUT          | 405 | -",
            "TRACE                     | 405 | -" })
    void malformedOrOversizedRequestsGetProblems(String what, int status, String problem) throws IOException {
        String path = DEVICE + "/user/sheep";
        String key = "\r\nX-API-Key: " + FLEET_KEY;
        byte[] body = "baa".getBytes(StandardCharsets.UTF_8);
        String head = switch (what) {
            case "header of 10 KB" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key + "\r\nX-Big: " + "b".repeat(10_000);
            case "URI of 10 KB" -> "POST " + path + "?pad=" + "p".repeat(10_000) + " HTTP/1.1\r\nHost: x" + key;
            case "raw UTF-8 in the path" -> "POST " + DEVICE + "/user/sh\u00e9ep HTTP/1.1\r\nHost: x" + key;
            case "raw tab in the path" -> "POST " + DEVICE + "/user/sh\teep HTTP/1.1\r\nHost: x" + key;
            case "Content-Length not a number" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key
                    + "\r\nContent-Length: abc";
            case "Content-Length of 1 TB" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key
                    + "\r\nContent-Length: 1099511627776";
            case "body of 256 KB + 1" -> {
                body = new byte[256 * 1024 + 1];
                yield "POST " + path + " HTTP/1.1\r\nHost: x" + key;
            }
            case "Idempotency-Key too long" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key + "\r\nIdempotency-Key: "
                    + "k".repeat(300);
            case "Idempotency-Key with space" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key
                    + "\r\nIdempotency-Key: a b";
            case "control character in a header" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key
                    + "\r\nX-Note: a\u0001b";
            // Tomcat lets it through (obs-text); the firewall refuses it when the API key is read
            case "C1 control character in the API key" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key + "\u0085";
            case "API key of 1000 characters" -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                    + "k".repeat(1000);
            case "empty API key" -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-API-Key: ";
            case "HTTP/1.0 with no Host" -> "POST " + path + " HTTP/1.0";
            case "wildcard Content-Type on the health probe" -> "GET /actuator/health HTTP/1.1\r\nHost: x"
                    + "\r\nContent-Type: */*";
            case "malformed Accept" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key + "\r\nAccept: ;";
            case "publish accepting only HTML" -> "POST " + path + " HTTP/1.1\r\nHost: x" + key
                    + "\r\nAccept: text/html";
            case "publish accepting only HTML, path percent-encoded" -> "POST /%61pi/v1/devices/a61QmwQD5ZF/mosheep"
                    + "/user/sheep HTTP/1.1\r\nHost: x" + key + "\r\nAccept: text/html";
            case "broken escape in the query" -> "POST " + path + "?%G1 HTTP/1.1\r\nHost: x" + key;
            case "broken escape in an admin query" -> "GET /api/v1/admin/devices?productKey=%G1 HTTP/1.1\r\nHost: x"
                    + "\r\nX-API-Key: " + ADMIN_KEY;
            // refused before it runs: an unknown device would otherwise be 404
            case "admin write accepting only HTML" -> "DELETE /api/v1/admin/devices/a61QmwQD5ZF/nosuchsheep HTTP/1.1"
                    + "\r\nHost: x\r\nX-API-Key: " + ADMIN_KEY + "\r\nAccept: text/html";
            case "form body on PUT" -> {
                body = "a=%zz".getBytes(StandardCharsets.UTF_8);
                yield "PUT " + path + " HTTP/1.1\r\nHost: x" + key
                        + "\r\nContent-Type: application/x-www-form-urlencoded";
            }
            case "TRACE" -> "TRACE " + path + " HTTP/1.1\r\nHost: x" + key;
            default -> throw new IllegalArgumentException(what);
        };
        RawHttp http = new RawHttp(this.port);

        Answer answer = what.startsWith("Content-Length") ? http.sendHeadOnly(head) : http.send(head, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"status\":" + status);
        if (!problem.equals("-")) {
            assertThat(answer.body()).contains("\"type\":\"urn:iot-gateway:problem:" + problem + "\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
            "text/plain; charset=nonsense", "application/json" })
    void bodiesSpringCouldInterpretArePublishedByteForByte(String contentType) throws Exception {
        byte[] body = "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb&c=d%zz\r\n--x--\r\n"
            .getBytes(StandardCharsets.UTF_8);

        Answer answer = new RawHttp(this.port).send("POST " + DEVICE + "/user/raw HTTP/1.1\r\nHost: localhost"
                + keyHeader("fleet") + "\r\nContent-Type: " + contentType, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(this.inbox.awaitMessage(m -> m.topic().endsWith("/user/raw"), java.time.Duration.ofSeconds(10)))
            .hasValueSatisfying(m -> assertThat(m.payload()).isEqualTo(body));
        clearInboxWhenQuiet();
    }

    private static String keyHeader(String caller) {
        String key = switch ((caller != null) ? caller : "-") {
            case "-" -> null;
            case "wrong" -> "a-key-that-matches-no-client-123456";
            case "other" -> OTHER_PUBLISHER_KEY;
            case "admin" -> ADMIN_KEY;
            case "erp" -> PUBLISHER_KEY;
            case "fleet" -> FLEET_KEY;
            default -> throw new IllegalArgumentException(caller);
        };
        return (key != null) ? "\r\nX-API-Key: " + key : "";
    }
}
