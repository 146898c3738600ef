package io.iotgateway.registry;

import java.io.IOException;
import java.io.InputStream;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What the admin endpoints share: device path checks and their problems.
 */
final class AdminRequests {

    private AdminRequests() {
    }

    /** The request body, refused with 413 past {@code max} bytes, whatever the body claims. */
    static byte[] readBody(HttpServletRequest request, int max) throws IOException {
        if (request.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        try (InputStream body = request.getInputStream()) {
            byte[] bytes = body.readNBytes(max + 1);
            if (bytes.length > max) {
                throw tooLarge(max);
            }
            return bytes;
        }
    }

    private static GatewayException tooLarge(int max) {
        return new GatewayException(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than " + max
                + " bytes.");
    }

    static GatewayException unknown(DeviceId id) {
        return new GatewayException(ProblemType.UNKNOWN_DEVICE, "Device " + id + " is not registered with the "
                + "gateway.").with("device", id.toString());
    }

    static GatewayException readOnly(ReadOnlyDeviceException ex) {
        return new GatewayException(ProblemType.DEVICE_READ_ONLY, "Device " + ex.device() + " comes from the "
                + "gateway's configuration (gateway.devices, or the emulator's demo device), which wins over the "
                + "registry; change it there.").with("device", ex.device().toString());
    }
}
