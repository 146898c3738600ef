/**
 * Several replicas, one owner per device: an embedded Hazelcast member per replica (only with
 * {@code gateway.cluster.enabled}) whose partition table says which replica owns each device. The owner holds the
 * device's connection, limits, idempotency answers and message order; the other replicas forward the device's
 * requests to it. Without a cluster every device is this gateway's (docs/cluster.md).
 */
@NullMarked
package io.iotgateway.cluster;

import org.jspecify.annotations.NullMarked;
