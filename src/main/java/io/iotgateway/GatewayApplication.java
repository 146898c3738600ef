package io.iotgateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

import sun.misc.Signal;

/**
 * iot-gateway: accepts HTTP messages for devices and publishes them to Alibaba Cloud IoT Platform over MQTT,
 * signed as each device.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(GatewayApplication.class, args);
        exitCleanlyOnSigterm(context);
    }

    /**
     * SIGTERM (what Kubernetes sends) closes the context as usual, draining requests and disconnecting every
     * device, and then exits with status 0 rather than the JVM's 143, so a clean shutdown looks clean. Spring
     * Boot's graceful shutdown cannot carry this alone: it runs in the JVM's shutdown hook, and a JVM ended by a
     * signal exits 143 whatever its hooks do; only a handler of the signal itself can exit 0 after the same close.
     */
    private static void exitCleanlyOnSigterm(ConfigurableApplicationContext context) {
        Signal.handle(new Signal("TERM"), signal -> System.exit(SpringApplication.exit(context)));
    }
}
