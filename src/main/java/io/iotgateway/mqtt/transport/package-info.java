/**
 * Paho underneath the device connections: the one executor every client runs on, the client of one login with
 * its network modules (untimed reads, bounded TLS handshakes, inbound activity, reset on abort), the platform's TLS
 * trust, and the loading of the MQTT stack's classes before virtual threads need them. Knows nothing of devices,
 * signing or HTTP.
 */
@NullMarked
package io.iotgateway.mqtt.transport;

import org.jspecify.annotations.NullMarked;
