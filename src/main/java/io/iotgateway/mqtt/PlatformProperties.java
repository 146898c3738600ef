package io.iotgateway.mqtt;

import io.iotgateway.credential.SignMethod;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which IoT Platform the gateway publishes to.
 *
 * @param endpoint broker URI: {@code tcp://host:port} (securemode 3) or {@code ssl://host:port} (securemode 2);
 * {@code {productKey}} and {@code {region}} are filled in per device, e.g.
 * {@code ssl://{productKey}.iot-as-mqtt.{region}.aliyuncs.com:1883}. When empty, the gateway starts its embedded
 * IoT Platform emulator and publishes there.
 * @param region region id filled into {@code {region}}, e.g. {@code cn-shanghai}
 * @param signMethod HMAC used to sign each device's MQTT password: hmacmd5, hmacsha1 or hmacsha256
 */
@ConfigurationProperties("gateway.platform")
public record PlatformProperties(@Nullable String endpoint, @DefaultValue("cn-shanghai") String region,
        @DefaultValue("hmacsha1") SignMethod signMethod) {
}
