/**
 * The HTTP edge for per-device messages: validates the request, reads the body untouched and publishes it as
 * the device.
 */
@NullMarked
package io.iotgateway.message;

import org.jspecify.annotations.NullMarked;
