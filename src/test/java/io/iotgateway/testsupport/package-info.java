/**
 * Real brokers for tests: a local mosquitto process, its Testcontainers twin, a broker that hangs on purpose, a
 * subscriber that collects what the gateway published, and network faults in between (a loopback proxy, and a
 * network namespace where root allows).
 */
@NullMarked
package io.iotgateway.testsupport;

import org.jspecify.annotations.NullMarked;
