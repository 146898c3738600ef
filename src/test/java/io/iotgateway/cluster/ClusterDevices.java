package io.iotgateway.cluster;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The devices of a cluster test: {@code count} devices of one product, named {@code cl-dev-0000} onwards, with
 * secrets made for the run (mosquitto lets anyone in; the registry still stores and decrypts them). Each is known
 * by its {@code productKey/deviceName}, the form {@link io.iotgateway.testsupport.BrokerLog} uses.
 */
final class ClusterDevices {

    static final String PRODUCT_KEY = "a1ClusterIt";

    /** The topic under {@code /user/} every message goes to. */
    static final String TOPIC = "harness";

    private final List<String> names;

    private final List<String> secrets;

    private ClusterDevices(List<String> names, List<String> secrets) {
        this.names = names;
        this.secrets = secrets;
    }

    static ClusterDevices of(int count) {
        SecureRandom random = new SecureRandom();
        List<String> names = IntStream.range(0, count).mapToObj("cl-dev-%04d"::formatted).toList();
        List<String> secrets = names.stream().map((name) -> {
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            return HexFormat.of().formatHex(secret);
        }).toList();
        return new ClusterDevices(names, secrets);
    }

    int size() {
        return this.names.size();
    }

    /** Every device as {@code productKey/deviceName}. */
    List<String> ids() {
        return this.names.stream().map((name) -> PRODUCT_KEY + "/" + name).toList();
    }

    /** {@code /api/v1/devices/<productKey>/<deviceName>}. */
    static String path(String device) {
        return "/api/v1/devices/" + device;
    }

    /** The publish route of the test topic at QoS 1. */
    static String publishPath(String device) {
        return path(device) + "/user/" + TOPIC + "?qos=1";
    }

    /** The MQTT topic a message published through {@link #publishPath} arrives on. */
    static String brokerTopic(String device) {
        return "/" + device + "/user/" + TOPIC;
    }

    /** The JSON array {@code POST /api/v1/admin/devices/import} takes. */
    String importJson() {
        return IntStream.range(0, this.names.size())
            .mapToObj((i) -> "{\"productKey\":\"%s\",\"deviceName\":\"%s\",\"deviceSecret\":\"%s\"}"
                .formatted(PRODUCT_KEY, this.names.get(i), this.secrets.get(i)))
            .collect(Collectors.joining(",", "[", "]"));
    }

    @Override
    public String toString() {
        return "ClusterDevices[" + this.names.size() + " of " + PRODUCT_KEY + "]";
    }

}
