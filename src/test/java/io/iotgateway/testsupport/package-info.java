/**
 * Real brokers for tests: a local mosquitto process, its Testcontainers twin, a broker that hangs on purpose, and
 * a subscriber that collects what the gateway published.
 */
@NullMarked
package io.iotgateway.testsupport;

import org.jspecify.annotations.NullMarked;
