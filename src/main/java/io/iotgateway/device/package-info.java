/**
 * The devices the gateway knows, with their connection state.
 */
@NullMarked
package io.iotgateway.device;

import org.jspecify.annotations.NullMarked;
