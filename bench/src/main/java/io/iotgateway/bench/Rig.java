package io.iotgateway.bench;

import java.util.stream.IntStream;

/**
 * What every scenario of a run works with: the options, the processes and the probe, the broker, the devices and
 * the payload, the gateway build's settings, and where the findings go.
 */
record Rig(Options options, Processes processes, Probe probe, IdleWait idle, Findings findings,
        GatewayMetadata metadata, Broker broker, Devices devices, Payload payload) {

    /** The N devices of the throughput, fixed-rate and cold-path scenarios. */
    Devices mainDevices() {
        return this.devices.first(this.options.devices);
    }

    /** A meter of this server (0: none, the load generator talks to the broker itself) and the broker. */
    Meter meter(long serverPid) {
        return new Meter(serverPid, this.broker.pid());
    }

    /** Messages over HTTP to a gateway or the HTTP ceiling, as these devices. */
    HttpTarget http(String baseUrl, Devices to) {
        return new HttpTarget(baseUrl, to.productKey(), to.names(), this.options.qos, this.payload.bytes(),
                this.options.httpClients);
    }

    /** {@code count} device indexes spread evenly over {@code devices}. */
    static int[] sample(int devices, int count) {
        int n = Math.min(devices, count);
        return IntStream.range(0, n).map(i -> (int) ((long) i * devices / n)).toArray();
    }
}
