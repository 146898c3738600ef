package io.iotgateway.security;

import java.io.IOException;

import io.iotgateway.security.ProductScopeAuthorizationManager.ProductDenied;
import io.iotgateway.web.GatewayRoutes;
import io.iotgateway.web.ProblemResponseWriter;
import io.iotgateway.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers 403 as a problem: {@code product-forbidden} when the product is outside the caller's scope,
 * {@code forbidden} when the caller's roles do not allow the endpoint.
 */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private final ProblemResponseWriter problems;

    private final SecurityMetrics metrics;

    ProblemAccessDeniedHandler(ProblemResponseWriter problems, SecurityMetrics metrics) {
        this.problems = problems;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (denied instanceof AuthorizationDeniedException authorization
                && authorization.getAuthorizationResult() instanceof ProductDenied product) {
            this.metrics.deniedByProduct();
            this.problems.write(request, response, ProblemType.PRODUCT_FORBIDDEN, "This API key may not act for "
                    + "product " + printable(product.productKey()) + "; ask an admin to add it to the client's "
                    + "products.");
            return;
        }
        this.metrics.deniedByRole();
        this.problems.write(request, response, ProblemType.FORBIDDEN, "This API key's roles do not allow "
                + request.getMethod() + " " + printable(request.getRequestURI()) + (GatewayRoutes.ADMIN.matches(request)
                        ? "; it needs the admin role." : "; publishing needs the publisher role."));
    }

    // the product key comes from the path: keep control characters and floods out of the answer
    private static String printable(String text) {
        String cut = (text.length() > 64) ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
