/**
 * The pool of per-device MQTT connections: one Spring Integration outbound adapter per device, signed as that
 * device, with its health and failure handling.
 */
@NullMarked
package io.iotgateway.mqtt;

import org.jspecify.annotations.NullMarked;
