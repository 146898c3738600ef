package io.iotgateway.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String API_KEY_SCHEME = "apiKey";

    static final String BEARER_SCHEME = "bearer";

    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI().info(new Info().title("iot-gateway")
            .version("v1")
            .description("""
                    Publishes HTTP messages to Alibaba Cloud IoT Platform as real devices. The gateway holds each \
                    device's triple, signs the device's MQTT connection as the platform requires and publishes the \
                    request body unchanged to the device's custom topic `/{productKey}/{deviceName}/user/...`. \
                    Errors are RFC 9457 problem details (`application/problem+json`) whose `type` says what \
                    happened and `detail` what to do.

                    Every call needs an API key (`X-API-Key: <key>` or `Authorization: Bearer <key>`; use \
                    **Authorize**), unless the gateway runs as an open local sandbox. A missing or wrong key gets \
                    401, a product outside the key's scope or a missing role 403."""))
            // the explorer's Authorize button: either scheme carries the same key
            .components(new Components()
                .addSecuritySchemes(API_KEY_SCHEME,
                        new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                            .in(SecurityScheme.In.HEADER)
                            .name("X-API-Key")
                            .description("The client's API key"))
                .addSecuritySchemes(BEARER_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description("The client's API key as a bearer token")))
            .addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME))
            .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    }
}
