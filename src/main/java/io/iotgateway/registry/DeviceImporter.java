package io.iotgateway.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.iotgateway.credential.DeviceCredentialsChanged;
import io.iotgateway.credential.DeviceId;
import org.jspecify.annotations.Nullable;

/**
 * Imports many devices at once: validates every row, rejects duplicates and configured devices, then writes the
 * valid rows in one transaction (see {@link ImportMode}). Connections of devices whose secret changed are closed
 * after the commit.
 */
public class DeviceImporter {

    /** Most rows in one import: the platform creates at most 10,000 devices per batch. */
    public static final int MAX_ROWS = 10_000;

    private final DeviceRegistry registry;

    DeviceImporter(DeviceRegistry registry) {
        this.registry = registry;
    }

    public ImportReport importDevices(List<ImportRow> rows, ImportMode mode) {
        if (rows.size() > MAX_ROWS) {
            throw new IllegalArgumentException("An import takes at most " + MAX_ROWS + " devices; this one has "
                    + rows.size() + ". Split it.");
        }
        Map<Integer, String> rejections = validate(rows);
        boolean apply = mode == ImportMode.SKIP_INVALID
                || (mode == ImportMode.ALL_OR_NOTHING && rejections.isEmpty());
        List<DeviceCredentialsChanged> changes = new ArrayList<>();
        List<ImportReport.RowResult> results = this.registry.inTransaction(status -> {
            changes.clear();
            List<ImportReport.RowResult> written = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                written.add(result(rows.get(i), rejections.get(i), apply, changes));
            }
            return written;
        });
        if (apply) {
            this.registry.publish(changes);
        }
        return ImportReport.of(apply, results);
    }

    private ImportReport.RowResult result(ImportRow row, @Nullable String rejection, boolean apply,
            List<DeviceCredentialsChanged> changes) {
        if (rejection != null) {
            boolean validId = RegistryInput.idProblem(row.productKey(), row.deviceName()) == null;
            return new ImportReport.RowResult(row.row(), validId ? row.productKey() : null,
                    validId ? row.deviceName() : null, WriteOutcome.REJECTED, rejection);
        }
        DeviceId id = new DeviceId(row.productKey(), row.deviceName());
        WriteOutcome outcome = this.registry.write(id, row.deviceSecret(), row.description(), apply, changes);
        return new ImportReport.RowResult(row.row(), id.productKey(), id.deviceName(), outcome, null);
    }

    /** The reason each invalid row is rejected, by index. */
    private Map<Integer, String> validate(List<ImportRow> rows) {
        Map<Integer, String> rejections = new LinkedHashMap<>();
        Map<DeviceId, List<Integer>> occurrences = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            ImportRow row = rows.get(i);
            String problem = problem(row);
            if (problem != null) {
                rejections.put(i, problem);
            }
            else {
                occurrences.computeIfAbsent(new DeviceId(row.productKey(), row.deviceName()), id -> new ArrayList<>())
                    .add(i);
            }
        }
        occurrences.values().stream().filter(indexes -> indexes.size() > 1).forEach(indexes -> {
            // which of two secrets is right cannot be told: none of them is written
            String where = indexes.stream()
                .map(i -> Integer.toString(rows.get(i).row()))
                .collect(Collectors.joining(", "));
            indexes.forEach(i -> rejections.put(i, "The device appears more than once in this import (rows " + where
                    + "); give it once"));
        });
        return rejections;
    }

    private @Nullable String problem(ImportRow row) {
        if (row.readProblem() != null) {
            return row.readProblem();
        }
        String problem = RegistryInput.idProblem(row.productKey(), row.deviceName());
        if (problem == null) {
            problem = RegistryInput.secretProblem(row.deviceSecret());
        }
        if (problem == null) {
            problem = RegistryInput.descriptionProblem(row.description());
        }
        if (problem == null && this.registry.isConfigured(new DeviceId(row.productKey(), row.deviceName()))) {
            problem = "The device is managed by configuration (gateway.devices or the emulator's demo device); "
                    + "change it there";
        }
        return problem;
    }
}
