/**
 * The embedded Alibaba Cloud IoT Platform emulator: a Moquette broker that checks device logins and publishes the
 * way the platform does, started when no platform endpoint is configured.
 */
@NullMarked
package io.iotgateway.emulator;

import org.jspecify.annotations.NullMarked;
