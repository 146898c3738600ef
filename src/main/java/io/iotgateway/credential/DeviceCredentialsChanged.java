package io.iotgateway.credential;

/**
 * Published after a registry change that makes a device's open connection stale: its secret changed, or it was
 * removed. Listeners close the connection so that the next message logs in with the stored credentials (or finds
 * the device gone). Published after the change committed, on the thread that made it.
 *
 * @param device the device
 * @param change what happened to it
 */
public record DeviceCredentialsChanged(DeviceId device, Change change) {

    /** What happened to the device. */
    public enum Change {

        /** A new secret was stored. */
        SECRET_CHANGED,

        /** The device was removed from the registry. */
        REMOVED
    }
}
