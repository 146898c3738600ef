/**
 * The platform's rate limits as one mechanism: a sliding window on a monotonic clock, used for the per-device
 * message rates, the per-device connects per minute and the gateway-wide connect rate.
 */
@NullMarked
package io.iotgateway.limit;

import org.jspecify.annotations.NullMarked;
