package io.iotgateway.registry;

import java.io.IOException;
import java.net.URI;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.device.DeviceView;
import io.iotgateway.mqtt.DeviceOwnership;
import io.iotgateway.mqtt.DevicePublisher;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.GatewayRoutes;
import io.iotgateway.web.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Adds, rotates, lists and removes devices at runtime. Secrets go in and never come out. Changes are live: a new
 * secret closes the device's connection so the next message logs in with it, and a removed device gets 404.
 */
@RestController
@RequestMapping(DeviceAdminController.PATH)
@Tag(name = "Admin: devices", description = "Manage the device registry (admin role)")
class DeviceAdminController {

    static final String PATH = GatewayRoutes.ADMIN_PATH + "/devices";

    static final int MAX_PAGE_SIZE = 500;

    private static final int MAX_PUT_BODY_BYTES = 16 * 1024;

    private final DeviceRegistry registry;

    private final DevicePublisher publisher;

    private final JsonMapper json;

    private final DeviceOwnership ownership;

    DeviceAdminController(DeviceRegistry registry, DevicePublisher publisher, DeviceOwnership ownership,
            JsonMapper json) {
        this.ownership = ownership;
        this.registry = registry;
        this.publisher = publisher;
        this.json = json;
    }

    @PutMapping(path = "/{productKey}/{deviceName}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create or replace a device", description = "Stores the secret encrypted. A changed secret "
            + "closes the device's connection; the next message reconnects with it. 201 when the device is new, 200 "
            + "otherwise. 409 for a device from configuration.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = DeviceSecretRequest.class))))
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "200", description = "Replaced (or unchanged)")
    @ApiResponse(responseCode = "400", description = "Invalid product key, device name, secret or description",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The device comes from configuration and is read-only here",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<AdminDeviceView> put(@PathVariable String productKey, @PathVariable String deviceName,
            HttpServletRequest body) throws IOException {
        DeviceId id = DeviceId.parse(productKey, deviceName);
        DeviceSecretRequest request = DeviceJson.secretRequest(this.json,
                AdminRequests.readBody(body, MAX_PUT_BODY_BYTES));
        String secret = checkedSecret(request);
        WriteOutcome outcome;
        try {
            outcome = this.registry.put(id, secret, request.description());
        }
        catch (ReadOnlyDeviceException ex) {
            throw AdminRequests.readOnly(ex);
        }
        AdminDeviceView view = view(this.registry.get(id).orElseThrow());
        return (outcome == WriteOutcome.CREATED)
                ? ResponseEntity.created(URI.create(PATH + "/" + id)).body(view)
                : ResponseEntity.ok(view);
    }

    @GetMapping("/{productKey}/{deviceName}")
    @Operation(summary = "Show a device, its source and connection (never its secret)")
    @ApiResponse(responseCode = "200", description = "The device")
    @ApiResponse(responseCode = "404", description = "Unknown device",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    AdminDeviceView get(@PathVariable String productKey, @PathVariable String deviceName) {
        DeviceId id = DeviceId.parse(productKey, deviceName);
        return view(this.registry.get(id).orElseThrow(() -> AdminRequests.unknown(id)));
    }

    @DeleteMapping(path = "/{productKey}/{deviceName}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Remove a device", description = "Closes its connection; later messages for it get 404.")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "404", description = "Unknown device",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The device comes from configuration and is read-only here",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> delete(@PathVariable String productKey, @PathVariable String deviceName) {
        DeviceId id = DeviceId.parse(productKey, deviceName);
        try {
            if (!this.registry.remove(id)) {
                throw AdminRequests.unknown(id);
            }
        }
        catch (ReadOnlyDeviceException ex) {
            throw AdminRequests.readOnly(ex);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping
    @Operation(summary = "List devices, a page at a time", description = "Configured devices first, then registry "
            + "devices, each sorted by product key and device name.")
    @ApiResponse(responseCode = "200", description = "A page of devices")
    @ApiResponse(responseCode = "400", description = "Bad product key, page or size",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    AdminDevicePage list(
            @Parameter(description = "Only this product's devices") @RequestParam(required = false)
            @Nullable String productKey,
            @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to " + MAX_PAGE_SIZE) @RequestParam(defaultValue = "50") int size) {
        String product = (productKey != null) ? DeviceId.parseProductKey(productKey) : null;
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new GatewayException(ProblemType.INVALID_REQUEST, "page must be 0 or more and size 1 to "
                    + MAX_PAGE_SIZE + ".");
        }
        RegistryPage devices = this.registry.list(product, (long) page * size, size);
        return new AdminDevicePage(devices.devices().stream().map(this::view).toList(), page, size, devices.total(),
                (devices.total() + size - 1) / size);
    }

    private AdminDeviceView view(RegisteredDevice device) {
        DeviceId id = device.id();
        String owner = this.ownership.ownerOf(id);
        return AdminDeviceView.of(device, this.ownership.ownsLocally(id)
                ? DeviceView.of(this.publisher.status(id), owner) : DeviceView.ownedElsewhere(id, owner));
    }

    private static String checkedSecret(DeviceSecretRequest request) {
        String secret = request.deviceSecret();
        String problem = RegistryInput.secretProblem(secret);
        if (problem != null || secret == null) {
            throw new GatewayException(ProblemType.INVALID_DEVICE_SECRET, problem + ".");
        }
        String descriptionProblem = RegistryInput.descriptionProblem(request.description());
        if (descriptionProblem != null) {
            throw new GatewayException(ProblemType.INVALID_REQUEST, descriptionProblem + ".");
        }
        return secret;
    }
}
