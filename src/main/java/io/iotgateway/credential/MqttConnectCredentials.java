package io.iotgateway.credential;

/**
 * What one MQTT CONNECT of a device carries.
 *
 * @param clientId the full MQTT client id, {@code <cid>|securemode=..,signmethod=..,timestamp=..|}
 * @param username {@code deviceName&productKey}
 * @param password the hex HMAC signature; valid for this client id only
 */
public record MqttConnectCredentials(String clientId, String username, String password) {

    @Override
    public String toString() {
        return "MqttConnectCredentials[clientId=" + this.clientId + ", username=" + this.username
                + ", password=******]";
    }
}
