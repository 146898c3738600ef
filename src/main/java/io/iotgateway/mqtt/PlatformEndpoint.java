package io.iotgateway.mqtt;

import java.net.URI;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.credential.SecureMode;

/**
 * Where devices connect: a broker URI template such as {@code ssl://{productKey}.iot-as-mqtt.{region}.aliyuncs.com:1883}
 * or {@code tcp://127.0.0.1:1883}. {@code {productKey}} and {@code {region}} are filled in per device.
 *
 * @param uriTemplate the broker URI, {@code tcp://} (securemode 3) or {@code ssl://} (securemode 2)
 * @param region the region id filled into {@code {region}}, e.g. {@code cn-shanghai}
 */
public record PlatformEndpoint(String uriTemplate, String region) {

    public PlatformEndpoint {
        String scheme = URI.create(uriTemplate.replace("{productKey}", "pk").replace("{region}", "region")).getScheme();
        if (!"tcp".equals(scheme) && !"ssl".equals(scheme)) {
            throw new IllegalArgumentException(
                    "gateway.platform.endpoint must start with tcp:// (securemode 3) or ssl:// (securemode 2)");
        }
    }

    /** The broker URI for one device. */
    public String uriFor(DeviceId device) {
        return this.uriTemplate.replace("{productKey}", device.productKey()).replace("{region}", this.region);
    }

    /** TLS for {@code ssl://}, plain TCP for {@code tcp://}. */
    public SecureMode secureMode() {
        return this.uriTemplate.startsWith("ssl://") ? SecureMode.TLS : SecureMode.TCP;
    }
}
