package io.iotgateway.emulator;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded IoT Platform emulator, started when {@code gateway.platform.endpoint} is not set.
 *
 * @param host address the emulator listens on; keep it on loopback, the emulator is for local use
 * @param port TCP port; 0 picks a free port at every start
 * @param maxPayload largest PUBLISH payload accepted; the platform allows 256 KB
 * @param keepAliveMin shortest MQTT keep-alive accepted; the platform refuses less than 30 s
 * @param keepAliveMax longest MQTT keep-alive accepted; the platform refuses more than 1200 s
 * @param demoDevice the device registered at start so the gateway works out of the box
 * @param receivedLogSize how many received messages the emulator keeps for inspection; older ones are dropped
 * @param thingModels the TSL JSON (a Spring resource location) of each product whose property and event posts the
 *        emulator checks, by product key; the demo product {@value ThingModels#DEMO_PRODUCT} has one unless set here,
 *        and a blank location means no model (every identifier accepted)
 */
@Validated
@ConfigurationProperties("gateway.emulator")
public record EmulatorProperties(
        @DefaultValue("127.0.0.1") @NotBlank String host,
        @DefaultValue("0") @Min(0) @Max(65535) int port,
        @DefaultValue("256KB") DataSize maxPayload,
        @DefaultValue("30s") Duration keepAliveMin,
        @DefaultValue("1200s") Duration keepAliveMax,
        @DefaultValue @Valid DemoDevice demoDevice,
        @DefaultValue("1000") @Min(1) int receivedLogSize,
        @DefaultValue Map<String, String> thingModels) {

    public EmulatorProperties {
        thingModels = (thingModels != null) ? Map.copyOf(thingModels) : Map.of();
    }

    /**
     * A device registered into the in-memory credential service at every start, with a fresh random secret.
     *
     * @param enabled whether to register the demo device
     * @param productKey the demo device's product key
     * @param deviceName the demo device's name
     */
    public record DemoDevice(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("a61QmwQD5ZF") @NotBlank String productKey,
            @DefaultValue("mosheep") @NotBlank String deviceName) {
    }
}
