package io.iotgateway.mqtt;

import java.time.Duration;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;

/**
 * What a failed login or publish of a device means for the HTTP caller, read from the Paho reason code: logins
 * fail in {@link SignedClientFactory#login} with Paho's own exception ({@link #ofConnect}), publishes in Spring
 * Integration's handler, which wraps Paho's exception ({@link #ofPublish}).
 *
 * @param problemType the answer's problem type
 * @param detail client-facing explanation; never carries secrets or broker addresses
 * @param connectionGone the connection is no longer usable
 */
record GatewayFailure(ProblemType problemType, String detail, boolean connectionGone) {

    static GatewayFailure ofConnect(MqttException ex) {
        return switch (ex.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> rejected("CONNACK 4, bad user name or password: "
                    + "check the device secret and the sign method");
            case MqttException.REASON_CODE_NOT_AUTHORIZED -> rejected("CONNACK 5, not authorized: check the device "
                    + "triple and that the device is enabled on the platform");
            case MqttException.REASON_CODE_INVALID_CLIENT_ID -> rejected("CONNACK 2, identifier rejected: the "
                    + "platform refused the client id");
            case MqttException.REASON_CODE_CLIENT_TIMEOUT, MqttException.REASON_CODE_CONNECT_IN_PROGRESS ->
                new GatewayFailure(ProblemType.PLATFORM_TIMEOUT,
                        "The IoT Platform did not answer the device's CONNECT in time.", true);
            default -> new GatewayFailure(ProblemType.PLATFORM_UNAVAILABLE,
                    "The IoT Platform could not be reached: " + describe(ex) + ".", true);
        };
    }

    private static GatewayFailure rejected(String reason) {
        return new GatewayFailure(ProblemType.CREDENTIALS_REJECTED,
                "The IoT Platform refused the device's login (" + reason + ").", true);
    }

    /** A publish through the handler failed; {@code failure} is what the handler threw. */
    static GatewayFailure ofPublish(Throwable failure) {
        MqttException mqtt = null;
        for (Throwable t = failure; t != null && mqtt == null; t = t.getCause()) {
            if (t instanceof MqttException found) {
                mqtt = found;
            }
        }
        if (mqtt == null) {
            return new GatewayFailure(ProblemType.PLATFORM_UNAVAILABLE, "Publishing failed: " + describe(failure), true);
        }
        return ofPublish(mqtt);
    }

    private static GatewayFailure ofPublish(MqttException ex) {
        return switch (ex.getReasonCode()) {
            case MqttException.REASON_CODE_CLIENT_TIMEOUT -> new GatewayFailure(ProblemType.PLATFORM_TIMEOUT,
                    "The IoT Platform did not acknowledge the message (no PUBACK) in time; it may or may not have "
                            + "been delivered.", false);
            case MqttException.REASON_CODE_MAX_INFLIGHT -> new GatewayFailure(ProblemType.DEVICE_BUSY,
                    "Too many messages of this device are waiting for the platform's acknowledgement.", false);
            // 32104 also when the handler found no connected login to take (lost just before the send)
            default -> new GatewayFailure(ProblemType.PLATFORM_UNAVAILABLE,
                    "The connection to the IoT Platform failed while publishing: " + describe(ex) + ".", true);
        };
    }

    GatewayException toException(DeviceId device, @Nullable Duration retryAfter) {
        return toException(device, retryAfter, null);
    }

    /** @param cause what Spring Integration or Paho threw: logged with 5xx answers, never shown to the caller */
    GatewayException toException(DeviceId device, @Nullable Duration retryAfter, @Nullable Throwable cause) {
        GatewayException exception = new GatewayException(this.problemType,
                "Device " + device + ": " + this.detail, cause).with("device", device.toString());
        return (retryAfter != null) ? exception.retryAfter(retryAfter) : exception;
    }

    /** A short description of a Paho failure: its reason code and message, no addresses. */
    static String describe(Throwable failure) {
        if (failure instanceof MqttException mqtt) {
            return "reason " + mqtt.getReasonCode() + ", " + mqtt.getMessage();
        }
        return failure.getClass().getSimpleName();
    }
}
