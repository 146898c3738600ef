package io.iotgateway.mqtt;

import io.iotgateway.credential.SecureMode;
import io.iotgateway.mqtt.transport.PlatformTls;
import io.iotgateway.mqtt.transport.PlatformTlsSocketFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link PlatformTls} of an {@code ssl://} endpoint. A broken trust configuration (an unknown bundle, no CA at
 * all) stops the start rather than the first message.
 */
@Configuration(proxyBeanMethods = false)
class PlatformTlsConfiguration {

    private static final Log log = LogFactory.getLog(PlatformTlsConfiguration.class);

    @Bean
    PlatformTls platformTls(PlatformEndpoint endpoint, PlatformTlsProperties tls, SslBundles sslBundles) {
        if (endpoint.secureMode() != SecureMode.TLS) {
            if (tls.sslBundle() != null) {
                log.warn("gateway.platform.tls.ssl-bundle is set, but the endpoint is not ssl://: no TLS is used.");
            }
            return new PlatformTls(null);
        }
        return new PlatformTls(PlatformTlsSocketFactory.create(tls.builtinRoots(),
                (tls.sslBundle() != null) ? sslBundles.getBundle(tls.sslBundle()) : null));
    }
}
