package io.iotgateway.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI().info(new Info().title("iot-gateway")
            .version("v1")
            .description("""
                    Publishes HTTP messages to Alibaba Cloud IoT Platform as real devices. The gateway holds each \
                    device's triple, signs the device's MQTT connection as the platform requires and publishes the \
                    request body unchanged to the device's custom topic `/{productKey}/{deviceName}/user/...`. \
                    Errors are RFC 9457 problem details (`application/problem+json`) whose `type` says what \
                    happened and `detail` what to do."""));
    }
}
