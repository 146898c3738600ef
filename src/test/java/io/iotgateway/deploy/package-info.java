/**
 * Tests of what ships the gateway: the container image's Dockerfile and the Helm chart, rendered by real Helm.
 */
@NullMarked
package io.iotgateway.deploy;

import org.jspecify.annotations.NullMarked;
