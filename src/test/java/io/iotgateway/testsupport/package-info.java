/**
 * Fixtures for tests. Real brokers: a local mosquitto process (per test class through
 * {@link io.iotgateway.testsupport.MosquittoBrokerExtension}), its Testcontainers twin, a broker that hangs on
 * purpose; the devices and broker rules of the end-to-end tests; a subscriber that collects what the gateway
 * published; network faults in between (a loopback proxy, and a network namespace where root allows); HTTP to the
 * gateway, plain ({@link io.iotgateway.testsupport.GatewayHttpClient}) or raw over a socket.
 */
@NullMarked
package io.iotgateway.testsupport;

import org.jspecify.annotations.NullMarked;
