package io.iotgateway.registry;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Imports devices in bulk: the CSV that Alibaba's console gives for a batch of devices, or a JSON array. Every row
 * gets a result; valid rows are written in one transaction.
 */
@RestController
@Tag(name = "Admin: devices")
class DeviceImportController {

    /** Largest import body read: 10,000 devices with notes fit easily. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private static final String PATH = DeviceAdminController.PATH + "/import";

    private final DeviceImporter importer;

    private final JsonMapper json;

    DeviceImportController(DeviceImporter importer, JsonMapper json) {
        this.importer = importer;
        this.json = json;
    }

    @PostMapping(path = PATH, consumes = { "text/csv", "application/csv", "application/vnd.ms-excel", "text/plain" },
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import devices from a CSV", description = """
            The CSV of Alibaba's console: UTF-8 (a byte order mark is fine), header `ProductKey,DeviceName,\
            DeviceSecret` (any order; other columns ignored; an optional `Description` column), one device per \
            line. Answers every row: created, updated, unchanged or rejected with a reason.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "text/csv", schema = @Schema(type = "string"), examples = @ExampleObject(
                            value = "ProductKey,DeviceName,DeviceSecret\na1B2c3D4e5F,sensor-0001,your-device-secret"))))
    @ApiResponse(responseCode = "200", description = "The report; `applied` says whether rows were written")
    @ApiResponse(responseCode = "400", description = "Not UTF-8, no header, or more than 10,000 rows",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "Body over 4 MB",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "mode=all-or-nothing and some rows are invalid: nothing written",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    ImportReport importCsv(@Parameter(description = "skip-invalid (default), all-or-nothing or dry-run")
            @RequestParam(defaultValue = "skip-invalid") String mode, HttpServletRequest request) throws IOException {
        return run(DeviceCsv.parse(AdminRequests.readBody(request, MAX_BODY_BYTES)), mode);
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import devices from JSON", description = """
            A JSON array of `{"productKey", "deviceName", "deviceSecret", "description"}` objects. Answers every \
            element (row = its position from 1).""")
    ImportReport importJson(@RequestParam(defaultValue = "skip-invalid") String mode, HttpServletRequest request)
            throws IOException {
        return run(DeviceJson.parse(this.json, AdminRequests.readBody(request, MAX_BODY_BYTES)), mode);
    }

    private ImportReport run(List<ImportRow> rows, String mode) {
        ImportMode importMode = mode(mode);
        ImportReport report;
        try {
            report = this.importer.importDevices(rows, importMode);
        }
        catch (IllegalArgumentException ex) {
            throw new GatewayException(ProblemType.INVALID_IMPORT, ex.getMessage());
        }
        if (importMode == ImportMode.ALL_OR_NOTHING && !report.applied()) {
            throw new GatewayException(ProblemType.IMPORT_REJECTED, report.rejected() + " of " + rows.size()
                    + " rows are invalid, so nothing was imported; fix them, or import with mode=skip-invalid.")
                .with("report", report);
        }
        return report;
    }

    private static ImportMode mode(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "skip-invalid" -> ImportMode.SKIP_INVALID;
            case "all-or-nothing" -> ImportMode.ALL_OR_NOTHING;
            case "dry-run" -> ImportMode.DRY_RUN;
            default -> throw new GatewayException(ProblemType.INVALID_REQUEST,
                    "mode must be skip-invalid, all-or-nothing or dry-run.");
        };
    }
}
