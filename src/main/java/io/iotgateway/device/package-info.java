/**
 * {@code GET /api/v1/devices}: the devices the gateway knows, with their connection state, as each caller may see
 * them (its products only).
 */
@NullMarked
package io.iotgateway.device;

import org.jspecify.annotations.NullMarked;
