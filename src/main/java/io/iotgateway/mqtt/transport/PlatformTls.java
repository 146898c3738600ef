package io.iotgateway.mqtt.transport;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * TLS for the platform connections.
 *
 * @param socketFactory verifies the platform's certificate against the trusted roots; {@code null} for a
 * {@code tcp://} endpoint
 */
public record PlatformTls(@Nullable SSLSocketFactory socketFactory) {
}
