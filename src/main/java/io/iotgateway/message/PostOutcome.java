package io.iotgateway.message;

/**
 * What a request posted as a device got, and whether it is the answer of an earlier request with the same
 * {@code Idempotency-Key}, repeated without posting again.
 *
 * @param answer the answer of the request that posted
 * @param replayed this request posted nothing: it repeated a request answered before
 */
public record PostOutcome<T>(T answer, boolean replayed) {
}
