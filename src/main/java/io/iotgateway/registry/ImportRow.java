package io.iotgateway.registry;

import org.jspecify.annotations.Nullable;

/**
 * One device of an import, as read, not yet validated.
 *
 * @param row where it was in the input (CSV: the line number, the header being line 1; JSON: the 1-based position
 * in the array)
 * @param productKey the ProductKey as given
 * @param deviceName the DeviceName as given
 * @param deviceSecret the DeviceSecret as given; never logged or returned
 * @param description an optional note
 * @param readProblem why the row could not be read (e.g. a CSV line with the wrong number of fields), or
 * {@code null}
 */
public record ImportRow(int row, @Nullable String productKey, @Nullable String deviceName,
        @Nullable String deviceSecret, @Nullable String description, @Nullable String readProblem) {

    public ImportRow(int row, @Nullable String productKey, @Nullable String deviceName, @Nullable String deviceSecret,
            @Nullable String description) {
        this(row, productKey, deviceName, deviceSecret, description, null);
    }

    /** A row that could not be read; it is reported as rejected for the given reason. */
    public static ImportRow unreadable(int row, String reason) {
        return new ImportRow(row, null, null, null, null, reason);
    }

    @Override
    public String toString() {
        return "ImportRow[" + this.row + ", " + this.productKey + "/" + this.deviceName + ", deviceSecret=******]";
    }
}
