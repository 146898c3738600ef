package io.iotgateway.mqtt;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whom the gateway trusts as the platform on {@code ssl://} endpoints. The server certificate and its host name are
 * always verified; there is no switch to turn that off.
 *
 * @param builtinRoots trust the root CAs shipped in the gateway: the Alibaba Cloud IoT root (port 8883, valid to
 * 2053) and GlobalSign Root CA R1 (ports 1883 and 443, valid to January 2028)
 * @param sslBundle name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>.truststore.certificate} or
 * {@code spring.ssl.bundle.jks.<name>.truststore.location}) whose trusted certificates are trusted in addition,
 * e.g. a newer Alibaba root or a private broker's CA
 */
@ConfigurationProperties("gateway.platform.tls")
public record PlatformTlsProperties(@DefaultValue("true") boolean builtinRoots, @Nullable String sslBundle) {
}
