package io.iotgateway.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Spring Security's firewall refuses URLs that could be read two ways ({@code %2F}, {@code ..}, {@code ;},
 * {@code %25}, control characters, ...) before anything else sees them; this answers them with a 400 problem
 * instead of the container's error page.
 */
final class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private static final Log log = LogFactory.getLog(ProblemRequestRejectedHandler.class);

    private final ProblemResponseWriter problems;

    ProblemRequestRejectedHandler(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        if (log.isDebugEnabled()) {
            log.debug("Rejected " + request.getMethod() + " from " + request.getRemoteAddr() + ": "
                    + rejected.getMessage());
        }
        this.problems.write(request, response, ProblemType.INVALID_REQUEST, "The request URL or a header contains "
                + "characters or sequences the gateway does not accept (encoded '/', '\\\\' or '%', '..', ';', or "
                + "control characters).");
    }
}
