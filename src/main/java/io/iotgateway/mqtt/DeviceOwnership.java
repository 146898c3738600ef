package io.iotgateway.mqtt;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.web.GatewayException;
import org.jspecify.annotations.Nullable;

/**
 * Which replica may hold a device's connection. The platform kicks the older of two logins of a device, so exactly
 * one replica connects each device: a single gateway holds every device ({@link #single}); in a cluster
 * ({@code io.iotgateway.cluster}) the device's owner does, and the pool asks here before every new connection.
 */
public interface DeviceOwnership {

    /** This replica's name, as the devices API and health show it. */
    String replica();

    /** The name of the replica that owns the device now, or {@code null} while none does (a move under way). */
    @Nullable String ownerOf(DeviceId device);

    /** Whether this replica owns the device: the one to connect it and to answer its requests. */
    boolean ownsLocally(DeviceId device);

    /**
     * Called before this replica opens a connection for the device; returns once it holds the device.
     * @throws GatewayException 503 {@code device-moving} when another replica owns the device or still holds its
     * connection after a short wait
     */
    void claim(DeviceId device);

    /**
     * Whether this replica may connect the device right away, without waiting: it owns it and no other live
     * replica holds its connection. For connections made ahead of traffic, which must not wait in line.
     */
    boolean mayConnectNow(DeviceId device);

    /** This replica closed the device's connection for good (idle, evicted, removed): it no longer holds it. */
    void release(DeviceId device);

    /** This replica closed the device's connection to hand it over: its next owner connects it ahead of traffic. */
    void handOver(DeviceId device);

    /** A gateway without a cluster: it owns every device. */
    static DeviceOwnership single(String replica) {
        return new DeviceOwnership() {

            @Override
            public String replica() {
                return replica;
            }

            @Override
            public String ownerOf(DeviceId device) {
                return replica;
            }

            @Override
            public boolean ownsLocally(DeviceId device) {
                return true;
            }

            @Override
            public boolean mayConnectNow(DeviceId device) {
                return true;
            }

            @Override
            public void claim(DeviceId device) {
            }

            @Override
            public void release(DeviceId device) {
            }

            @Override
            public void handOver(DeviceId device) {
            }
        };
    }
}
