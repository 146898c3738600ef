package io.iotgateway.message;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the messages the gateway accepts.
 *
 * @param maxPayload largest request body published as one message; larger bodies get 413 without being read.
 * The IoT Platform refuses MQTT messages over 256 KB.
 */
@ConfigurationProperties("gateway.message")
record MessageProperties(@DefaultValue("256KB") DataSize maxPayload) {
}
