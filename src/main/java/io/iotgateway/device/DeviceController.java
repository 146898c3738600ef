package io.iotgateway.device;

import java.util.List;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.DeviceOwnership;
import io.iotgateway.mqtt.DevicePublisher;
import io.iotgateway.security.ApiClient;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.GatewayRoutes;
import io.iotgateway.web.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ProblemDetail;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lists the devices the gateway can publish as, with the state of their connections. Who may call which route is
 * decided by the security rules; which devices a caller sees is decided here, from the caller.
 */
@RestController
@Tag(name = "Devices", description = "The devices the gateway publishes as")
class DeviceController {

    private final CredentialService credentials;

    private final DevicePublisher publisher;

    private final DeviceOwnership ownership;

    DeviceController(CredentialService credentials, DevicePublisher publisher, DeviceOwnership ownership) {
        this.credentials = credentials;
        this.publisher = publisher;
        this.ownership = ownership;
    }

    @GetMapping(GatewayRoutes.DEVICE_LIST_PATH)
    @Operation(summary = "List the known devices and their connection state",
            description = "A publisher sees the devices of its products; an admin sees all.")
    List<DeviceView> list(@AuthenticationPrincipal @Nullable ApiClient caller) {
        if (caller == null) {
            // the security rules let no anonymous caller here; should one come, it sees nothing
            return List.of();
        }
        return this.credentials.deviceIds()
            .stream()
            .filter(device -> caller.maySee(device.productKey()))
            .map(this::view)
            .toList();
    }

    @GetMapping(GatewayRoutes.DEVICE_PATH)
    @Operation(summary = "Show one device and its connection state")
    @ApiResponse(responseCode = "200", description = "The device")
    @ApiResponse(responseCode = "400", description = "Malformed product key or device name",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "The gateway does not know the device",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    DeviceView get(@PathVariable String productKey, @PathVariable String deviceName) {
        DeviceId device = DeviceId.parse(productKey, deviceName);
        if (!this.credentials.exists(device)) {
            throw new GatewayException(ProblemType.UNKNOWN_DEVICE, "Device " + device + " is not registered with "
                    + "the gateway.");
        }
        // in a cluster this request was forwarded to the device's owner: the view is the connection's own
        return view(device);
    }

    private DeviceView view(DeviceId device) {
        String owner = this.ownership.ownerOf(device);
        return this.ownership.ownsLocally(device) ? DeviceView.of(this.publisher.status(device), owner)
                : DeviceView.ownedElsewhere(device, owner);
    }
}
