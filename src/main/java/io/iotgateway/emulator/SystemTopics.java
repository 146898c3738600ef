package io.iotgateway.emulator;

import java.util.Set;

import io.iotgateway.credential.DeviceId;

/**
 * The platform's topics of a device outside {@code /sys/{pk}/{dn}/} and {@code /{pk}/{dn}/user/} that Alibaba's
 * device SDKs use: device shadow, OTA, NTP, and the replies of the gateway session topics.
 */
final class SystemTopics {

    private SystemTopics() {
    }

    /** Whether the device may publish to the topic. */
    static boolean mayPublish(DeviceId device, String topic) {
        return Set.of(shadowUpdate(device), "/ota/device/inform" + suffix(device),
                "/ota/device/progress" + suffix(device), ntpRequest(device)).contains(topic);
    }

    /** Whether the device may subscribe to the filter. */
    static boolean maySubscribe(DeviceId device, String filter) {
        String session = "/ext/session" + suffix(device) + "/combine/";
        return Set.of("/shadow/get" + suffix(device), "/ota/device/upgrade" + suffix(device), ntpResponse(device),
                session + "login_reply", session + "logout_reply").contains(filter);
    }

    /** Whether the topic is one the device may publish to that the emulator accepts without answering. */
    static boolean isUnansweredSystemTopic(String topic) {
        return topic.startsWith("/shadow/update/") || topic.startsWith("/ota/device/");
    }

    static String ntpRequest(DeviceId device) {
        return "/ext/ntp" + suffix(device) + "/request";
    }

    static String ntpResponse(DeviceId device) {
        return "/ext/ntp" + suffix(device) + "/response";
    }

    private static String shadowUpdate(DeviceId device) {
        return "/shadow/update" + suffix(device);
    }

    private static String suffix(DeviceId device) {
        return "/" + device.productKey() + "/" + device.deviceName();
    }
}
