package io.iotgateway.registry;

/**
 * What writing a device did.
 */
public enum WriteOutcome {

    /** The device was new. */
    CREATED,

    /** Its secret or note changed; a changed secret also closed its connection. */
    UPDATED,

    /** Secret and note were already as given. */
    UNCHANGED,

    /** Not written (an import row that failed validation); the reason says why. */
    REJECTED
}
