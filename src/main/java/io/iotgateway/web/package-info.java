/**
 * Shared HTTP plumbing: problem details (RFC 9457) for every error, and the OpenAPI description.
 */
@NullMarked
package io.iotgateway.web;

import org.jspecify.annotations.NullMarked;
