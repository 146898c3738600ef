package io.iotgateway.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemResponseWriterTests {

    private final ProblemResponseWriter problems = new ProblemResponseWriter(JsonMapper.builder().build());

    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/devices/a/b/user/c");

    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @Test
    void writesTheGatewaysMembersInOrderAsProblemJsonWithItsLength() throws Exception {
        this.problems.write(this.request, this.response, ProblemType.INVALID_REQUEST, "Say \"why\".");

        assertThat(this.response.getStatus()).isEqualTo(400);
        assertThat(this.response.getContentType()).isEqualTo("application/problem+json");
        assertThat(this.response.getContentAsString()).isEqualTo("{\"type\":\"urn:iot-gateway:problem:invalid-request\","
                + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"Say \\\"why\\\".\","
                + "\"instance\":\"/api/v1/devices/a/b/user/c\"}");
        assertThat(this.response.getContentLength()).isEqualTo(this.response.getContentAsByteArray().length);
    }

    @Test
    void aGatewayExceptionBringsItsHeadersAndExtensionMembers() throws Exception {
        this.problems.write(this.request, this.response, new GatewayException(ProblemType.AUTHENTICATION_THROTTLED,
                "Wait.").retryAfter(Duration.ofMillis(1500)));

        assertThat(this.response.getStatus()).isEqualTo(429);
        assertThat(this.response.getHeader("Retry-After")).isEqualTo("2");
        assertThat(this.response.getContentAsString()).endsWith(",\"retryAfterSeconds\":2}");
    }

    @Test
    void springsDefaultTypeIsLeftOutAndANamedInstanceWins() throws Exception {
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.METHOD_NOT_ALLOWED);
        problem.setInstance(java.net.URI.create("/elsewhere"));

        this.problems.write(this.request, this.response, problem);

        assertThat(this.response.getContentAsString()).isEqualTo("{\"title\":\"Method Not Allowed\",\"status\":405,"
                + "\"detail\":null,\"instance\":\"/elsewhere\"}");
    }

    @Test
    void tomcatsRefusalsAreTheGatewaysProblemsWithAPrintableInstance() throws Exception {
        this.problems.write(this.response, ProblemErrorReportValve.problem(400),
                ProblemErrorReportValve.printable("/a\u0000\u00e9\"b\\" + "x".repeat(300)));

        String body = this.response.getContentAsString();
        assertThat(body).startsWith("{\"type\":\"urn:iot-gateway:problem:invalid-request\",\"title\":\"Invalid "
                + "request\",\"status\":400,\"detail\":\"The request was refused before the gateway read it:")
            .contains("\"instance\":\"/a??\\\"b\\\\xxx");
        assertThat(JsonMapper.builder().build().readTree(body).get("instance").asString()).hasSize(200);
        assertThat(ProblemErrorReportValve.problem(413).getType()).isEqualTo(ProblemType.PAYLOAD_TOO_LARGE.type());
        assertThat(ProblemErrorReportValve.problem(505).getTitle()).isEqualTo("HTTP Version not supported");
        assertThat(ProblemErrorReportValve.problem(499).getTitle()).isEqualTo("Error");
        assertThat(ProblemErrorReportValve.printable(null)).isEmpty();
    }
}
