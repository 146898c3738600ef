package io.iotgateway.message;

import java.util.function.Supplier;

import io.iotgateway.testsupport.MosquittoBroker;
import io.iotgateway.testsupport.MosquittoConfig;

/**
 * One mosquitto process for a test class, started on first use: {@code @DynamicPropertySource} needs its port
 * before the Spring context starts, and a class skipped where mosquitto is missing must never start it.
 */
final class SharedBroker implements AutoCloseable {

    private final Supplier<MosquittoConfig> config;

    private MosquittoBroker broker;

    SharedBroker(Supplier<MosquittoConfig> config) {
        this.config = config;
    }

    synchronized MosquittoBroker get() {
        if (this.broker == null) {
            this.broker = MosquittoBroker.start(this.config.get());
        }
        return this.broker;
    }

    String uri() {
        return get().uri();
    }

    @Override
    public synchronized void close() {
        if (this.broker != null) {
            this.broker.close();
            this.broker = null;
        }
    }
}
