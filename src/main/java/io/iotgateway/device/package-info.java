/**
 * The devices the gateway knows, with their connection state; and the admin API that manages the device registry
 * (add, rotate, list, remove, import) and its master keys.
 */
@NullMarked
package io.iotgateway.device;

import org.jspecify.annotations.NullMarked;
