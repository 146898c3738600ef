/**
 * The HTTP edge every feature shares: problem details (RFC 9457) for every error, inside Spring MVC and outside it
 * (one writer), the routes declared once, input hygiene below the controllers, and the OpenAPI description. Uses no
 * feature package.
 */
@NullMarked
package io.iotgateway.web;

import org.jspecify.annotations.NullMarked;
