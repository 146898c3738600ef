package io.iotgateway.bench.ablation;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.mqtt.ConnectionStatus;
import io.iotgateway.mqtt.DevicePublisher;

/** Publishes nothing and answers at once (bench.ablate=mqtt); everything else is the real pool's. */
record NoMqttPublisher(DevicePublisher pool, LongAdder answered) implements DevicePublisher {

    @Override
    public void publish(DeviceId device, String topic, byte[] payload, int qos) {
        this.answered.increment();
    }

    @Override
    public ConnectionStatus status(DeviceId device) {
        return this.pool.status(device);
    }

    @Override
    public List<ConnectionStatus> statuses() {
        return this.pool.statuses();
    }

    @Override
    public void close(DeviceId device) {
        this.pool.close(device);
    }
}
