package io.iotgateway.registry;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What an import did, row by row.
 *
 * @param applied whether the rows were written (false for a dry run, and for an all-or-nothing import with a
 * rejected row)
 * @param created rows that added a device
 * @param updated rows that changed a device's secret or note
 * @param unchanged rows that matched the registry already
 * @param rejected rows that failed validation and were not written
 * @param rows every row's result, in input order
 */
public record ImportReport(boolean applied, int created, int updated, int unchanged, int rejected,
        List<RowResult> rows) {

    static ImportReport of(boolean applied, List<RowResult> rows) {
        return new ImportReport(applied, count(rows, WriteOutcome.CREATED), count(rows, WriteOutcome.UPDATED),
                count(rows, WriteOutcome.UNCHANGED), count(rows, WriteOutcome.REJECTED), rows);
    }

    private static int count(List<RowResult> rows, WriteOutcome outcome) {
        return (int) rows.stream().filter(row -> row.outcome() == outcome).count();
    }

    /**
     * One row's result.
     *
     * @param row where the row was in the input (see {@link ImportRow#row()})
     * @param productKey the row's product key, when valid
     * @param deviceName the row's device name, when valid
     * @param outcome created, updated, unchanged or rejected
     * @param reason why the row was rejected
     */
    public record RowResult(int row, @Nullable String productKey, @Nullable String deviceName, WriteOutcome outcome,
            @Nullable String reason) {
    }
}
