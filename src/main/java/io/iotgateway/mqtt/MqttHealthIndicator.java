package io.iotgateway.mqtt;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.iotgateway.web.ProblemType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code mqtt} health component: counts of device connections by state and the detail of the devices that are
 * not connected (first {@value #MAX_DEVICE_DETAILS}). It is DOWN when no device can publish and at least one
 * cannot because of the platform (its connection is lost, or its logins fail for lack of an answer): a device
 * with refused credentials or kicked by another login is that device's problem, not the gateway's, and stays a
 * detail. Not part of the liveness group: a broker outage must never get the pod restarted.
 */
class MqttHealthIndicator extends AbstractHealthIndicator {

    static final int MAX_DEVICE_DETAILS = 50;

    private final DevicePublisher publisher;

    MqttHealthIndicator(DevicePublisher publisher) {
        super("MQTT health check failed");
        this.publisher = publisher;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<ConnectionStatus> statuses = this.publisher.statuses();
        Map<ConnectionState, Integer> counts = new EnumMap<>(ConnectionState.class);
        for (ConnectionState state : ConnectionState.values()) {
            counts.put(state, 0);
        }
        statuses.forEach(status -> counts.merge(status.state(), 1, Integer::sum));
        long unreachable = statuses.stream().filter(MqttHealthIndicator::platformUnreachable).count();
        boolean down = unreachable > 0 && counts.get(ConnectionState.CONNECTED) == 0;
        (down ? builder.down() : builder.up()).withDetail("connected", counts.get(ConnectionState.CONNECTED))
            .withDetail("connecting", counts.get(ConnectionState.CONNECTING))
            .withDetail("failed", counts.get(ConnectionState.FAILED))
            .withDetail("disconnected", counts.get(ConnectionState.DISCONNECTED))
            .withDetail("total", statuses.size())
            .withDetail("devices", deviceDetails(statuses));
    }

    private static boolean platformUnreachable(ConnectionStatus status) {
        return switch (status.state()) {
            case DISCONNECTED -> true;
            // also while it is trying again; a first login (no problem yet) says nothing about the platform
            case FAILED, CONNECTING -> status.lastProblem() != null
                    && status.lastProblem() != ProblemType.CREDENTIALS_REJECTED
                    && status.lastProblem() != ProblemType.DEVICE_KICKED
                    && status.lastProblem() != ProblemType.UNKNOWN_DEVICE;
            default -> false;
        };
    }

    private static Map<String, Object> deviceDetails(List<ConnectionStatus> statuses) {
        Map<String, Object> devices = new LinkedHashMap<>();
        // the devices that need attention first
        List<ConnectionStatus> ordered = statuses.stream()
            .sorted(Comparator.comparing((ConnectionStatus status) -> status.state() == ConnectionState.CONNECTED))
            .toList();
        for (ConnectionStatus status : ordered) {
            if (devices.size() == MAX_DEVICE_DETAILS) {
                break;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", status.state());
            putIfPresent(detail, "lastProblem", (status.lastProblem() != null) ? status.lastProblem().type() : null);
            putIfPresent(detail, "lastError", status.lastError());
            putIfPresent(detail, "lastErrorAt", status.lastErrorAt());
            putIfPresent(detail, "lastConnectedAt", status.lastConnectedAt());
            putIfPresent(detail, "lastPublishedAt", status.lastPublishedAt());
            putIfPresent(detail, "retryAt", status.retryAt());
            devices.put(status.device().toString(), detail);
        }
        return devices;
    }

    private static void putIfPresent(Map<String, Object> map, String key, @Nullable Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
