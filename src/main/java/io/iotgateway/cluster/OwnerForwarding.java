package io.iotgateway.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.hazelcast.cluster.Member;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.InvalidDeviceIdException;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.GatewayRoutes;
import io.iotgateway.web.ProblemResponseWriter;
import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.web.util.matcher.RequestMatcher.MatchResult;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends each request about one device ({@link GatewayRoutes#ONE_DEVICE}) to the replica that owns the device and
 * answers with the owner's answer, status, headers and body as they are; requests for the devices this replica owns
 * go on to the controllers. Runs after the security chain, so that only callers allowed here are forwarded (the owner
 * checks the same key again). A forwarded request that finds its device moved on meanwhile is answered 503 by the
 * replica it reached rather than forwarded again, so a request crosses at most one hop.
 * <p>
 * Forwarding is plain HTTP to the owner's own port, the same API (docs/cluster.md says why not the grid's executor).
 * When the owner cannot be reached the answer is 503 {@code owner-unavailable}; when it does not answer in time,
 * 504 {@code owner-timeout} (the message may have been published: retry with the same {@code Idempotency-Key}).
 */
final class OwnerForwarding extends OncePerRequestFilter {

    /** Marks a request a replica forwarded: the one it reaches answers it itself. */
    static final String FORWARDED_BY = "Gateway-Forwarded-By";

    // hop-by-hop headers, and those the JDK client sets itself
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding",
            "upgrade", "date", "http2-settings");

    private static final Duration RETRY_SOON = Duration.ofSeconds(1);

    private final ClusterOwnership ownership;

    private final ProblemResponseWriter problems;

    private final HttpClient client;

    private final Duration timeout;

    private final long maxBody;

    private final Counter answered;

    private final Counter unavailable;

    private final Counter timedOut;

    OwnerForwarding(ClusterOwnership ownership, ProblemResponseWriter problems, Duration timeout, long maxBody,
            MeterRegistry meterRegistry) {
        this.ownership = ownership;
        this.problems = problems;
        this.timeout = timeout;
        this.maxBody = maxBody;
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
        this.answered = forwarded(meterRegistry, "answered");
        this.unavailable = forwarded(meterRegistry, "owner-unavailable");
        this.timedOut = forwarded(meterRegistry, "owner-timeout");
    }

    private static Counter forwarded(MeterRegistry meterRegistry, String outcome) {
        return Counter.builder("gateway.cluster.forwarded")
            .description("Requests this replica forwarded to the device's owner, by outcome")
            .tag("outcome", outcome)
            .register(meterRegistry);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        DeviceId device = deviceOf(request);
        if (device == null) {
            chain.doFilter(request, response);
            return;
        }
        Member owner = this.ownership.ownerMember(device);
        if (owner != null && owner.localMember()) {
            chain.doFilter(request, response);
            return;
        }
        if (owner == null || request.getHeader(FORWARDED_BY) != null) {
            this.problems.write(request, response, new GatewayException(ProblemType.DEVICE_MOVING, "Device " + device
                    + " is moving between replicas; retry shortly.").with("device", device.toString())
                .retryAfter(RETRY_SOON));
            return;
        }
        if (request.getContentLengthLong() > this.maxBody) {
            // the owner would refuse it unread: so does the controller here, without the hop
            chain.doFilter(request, response);
            return;
        }
        // not closed: the controller reads on when the body is too large
        byte[] body = request.getInputStream().readNBytes((int) this.maxBody + 1);
        if (body.length > this.maxBody) {
            // a body of undeclared length (chunked) that is too large: the controller here answers as the owner
            // would, its checks of the device, QoS and topic first, then 413, the same problem word for word
            chain.doFilter(new BodyReadAgain(request, body), response);
            return;
        }
        forward(request, response, device, owner, body);
    }

    private static @Nullable DeviceId deviceOf(HttpServletRequest request) {
        MatchResult match = GatewayRoutes.ONE_DEVICE.matcher(request);
        if (!match.isMatch()) {
            return null;
        }
        Map<String, String> variables = match.getVariables();
        try {
            return DeviceId.parse(variables.get("productKey"), variables.get("deviceName"));
        }
        catch (InvalidDeviceIdException ex) {
            // the controller answers 400 here, no need to ask the owner
            return null;
        }
    }

    private void forward(HttpServletRequest request, HttpServletResponse response, DeviceId device, Member owner,
            byte[] body) throws IOException {
        String replica = ClusterOwnership.replicaOf(owner);
        HttpRequest.Builder forwarded = HttpRequest.newBuilder(ownerUri(owner, request))
            .timeout(this.timeout)
            .method(request.getMethod(), (body.length > 0) ? HttpRequest.BodyPublishers.ofByteArray(body)
                    : HttpRequest.BodyPublishers.noBody())
            .header(FORWARDED_BY, this.ownership.replica());
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    forwarded.header(name, value);
                }
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = this.client.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (HttpConnectTimeoutException | ConnectException ex) {
            this.unavailable.increment();
            this.problems.write(request, response, unavailable(device, "Replica " + replica + ", which owns device "
                    + device + ", cannot be reached; its devices move to the other replicas once the cluster "
                    + "notices."));
            return;
        }
        catch (HttpTimeoutException ex) {
            this.timedOut.increment();
            this.problems.write(request, response, new GatewayException(ProblemType.OWNER_TIMEOUT, "Replica "
                    + replica + ", which owns device " + device + ", did not answer within " + this.timeout.toSeconds()
                    + " s; the message may have been published: retry with the same Idempotency-Key.")
                .with("device", device.toString())
                .retryAfter(RETRY_SOON));
            return;
        }
        catch (IOException ex) {
            this.unavailable.increment();
            this.problems.write(request, response, unavailable(device, "The connection to replica " + replica
                    + ", which owns device " + device + ", broke; the message may have been published: retry with "
                    + "the same Idempotency-Key."));
            return;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.unavailable.increment();
            this.problems.write(request, response, unavailable(device, "Interrupted while forwarding to replica "
                    + replica + "."));
            return;
        }
        this.answered.increment();
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(value -> response.addHeader(name, value));
            }
        });
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    private static URI ownerUri(Member owner, HttpServletRequest request) {
        String host = owner.getAddress().getHost();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        String port = owner.getAttribute(ClusterOwnership.HTTP_PORT_ATTRIBUTE);
        String query = request.getQueryString();
        // the raw, still encoded path and query: the owner decodes them as this replica did
        return URI.create("http://" + host + ":" + port + request.getRequestURI() + ((query != null) ? "?" + query
                : ""));
    }

    /**
     * The request with the part of its body read already put back before the rest of it, for the input stream the
     * controllers read (the original's reader would refuse: its stream has been taken).
     */
    private static final class BodyReadAgain extends HttpServletRequestWrapper {

        private final ServletInputStream body;

        BodyReadAgain(HttpServletRequest request, byte[] read) throws IOException {
            super(request);
            this.body = new ReadAgainInputStream(
                    new SequenceInputStream(new ByteArrayInputStream(read), request.getInputStream()));
        }

        @Override
        public ServletInputStream getInputStream() {
            return this.body;
        }
    }

    private static final class ReadAgainInputStream extends ServletInputStream {

        private final InputStream in;

        private boolean finished;

        ReadAgainInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int read = this.in.read();
            this.finished = read < 0;
            return read;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = this.in.read(buffer, offset, length);
            this.finished = read < 0;
            return read;
        }

        @Override
        public boolean isFinished() {
            return this.finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            // the controllers read the body blocking, on their own thread
            throw new UnsupportedOperationException("Only blocking reads of a body read again");
        }
    }

    private static GatewayException unavailable(DeviceId device, String detail) {
        return new GatewayException(ProblemType.OWNER_UNAVAILABLE, detail).with("device", device.toString())
            .retryAfter(RETRY_SOON);
    }
}
