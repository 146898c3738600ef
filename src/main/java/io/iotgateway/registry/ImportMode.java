package io.iotgateway.registry;

/**
 * How an import treats invalid rows. Every mode validates every row first and reports each one; writing is always
 * one transaction.
 */
public enum ImportMode {

    /** Writes the valid rows in one transaction and reports the invalid ones as rejected (the default). */
    SKIP_INVALID,

    /** Writes nothing unless every row is valid. */
    ALL_OR_NOTHING,

    /** Writes nothing; reports what an import would do. */
    DRY_RUN
}
