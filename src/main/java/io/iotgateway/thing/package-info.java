/**
 * The thing model (Alink): property and event posts as a device, answered with the platform's own reply, which
 * arrives on the device's own connection and is matched to its request by the Alink id.
 */
@NullMarked
package io.iotgateway.thing;

import org.jspecify.annotations.NullMarked;
