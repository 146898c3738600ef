package io.iotgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Baseline (a), the MQTT ceiling: one Paho 1.2.5 client per device in the load generator's own process, connected
 * as the device, publishing straight to the broker. The clients run on one scheduled executor of virtual threads
 * (Paho's executor constructor), as the gateway's do, so a thousand clients do not need four thousand threads.
 */
final class MqttTarget implements Target {

    private static final long TIMEOUT_MS = 30_000;

    private final String brokerUri;

    private final Devices devices;

    private final int qos;

    private final byte[] payload;

    private final ScheduledThreadPoolExecutor executor = newExecutor();

    private final MqttAsyncClient[] clients;

    MqttTarget(String brokerUri, Devices devices, int qos, byte[] payload) {
        this.brokerUri = brokerUri;
        this.devices = devices;
        this.qos = qos;
        this.payload = payload;
        this.clients = new MqttAsyncClient[devices.size()];
    }

    /** Paho's tasks (receiver, sender, callback, pings) each on a virtual thread, like the gateway's PahoExecutor. */
    static ScheduledThreadPoolExecutor newExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1_000_000,
                Thread.ofVirtual().name("paho-", 0).factory());
        executor.setKeepAliveTime(30, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Connects every device's client, {@code concurrency} at a time; the result's seconds are the time for all. */
    Result connectAll(Result result, int concurrency, Meter meter) {
        Semaphore permits = new Semaphore(concurrency);
        Meter.Snapshot before = meter.snapshot();
        long begin = System.nanoTime();
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < this.clients.length; i++) {
                int device = i;
                permits.acquireUninterruptibly();
                starter.execute(() -> {
                    try {
                        long start = System.nanoTime();
                        String error = null;
                        try {
                            this.clients[device] = connect(device);
                        }
                        catch (MqttException ex) {
                            error = "MQTT " + ex.getReasonCode();
                        }
                        result.record(error, System.nanoTime() - start);
                    }
                    finally {
                        permits.release();
                    }
                });
            }
        }
        result.seconds = (System.nanoTime() - begin) / 1e9;
        meter.finish(result, before);
        result.facts.mode = "connect every device, " + concurrency + " concurrent";
        return result;
    }

    /**
     * The direct counterpart of the gateway's cold path: for each device, one after the other, a new client
     * connects and publishes one message; {@code connectOnly} gets the CONNECT-to-CONNACK part alone.
     */
    Result coldSample(Result result, Result connectOnly, int[] sample, Meter meter) {
        Meter.Snapshot before = meter.snapshot();
        long begin = System.nanoTime();
        for (int device : sample) {
            long start = System.nanoTime();
            MqttAsyncClient client = null;
            String error = null;
            try {
                client = connect(device);
                connectOnly.record(null, System.nanoTime() - start);
                client.publish(this.devices.topic(device), this.payload, this.qos, false).waitForCompletion(TIMEOUT_MS);
            }
            catch (MqttException ex) {
                error = "MQTT " + ex.getReasonCode();
            }
            result.record(error, System.nanoTime() - start);
            closeQuietly(client);
        }
        result.seconds = (System.nanoTime() - begin) / 1e9;
        connectOnly.seconds = result.seconds;
        meter.finish(result, before);
        result.facts.mode = "one at a time, new client: connect + publish, " + sample.length + " devices";
        connectOnly.facts.mode = "one at a time, new client: connect only, " + sample.length + " devices";
        return result;
    }

    private MqttAsyncClient connect(int device) throws MqttException {
        Devices.Login login = this.devices.login(device);
        MqttAsyncClient client = new MqttAsyncClient(this.brokerUri, login.clientId(), new MemoryPersistence(),
                new ScheduledExecutorPingSender(this.executor), this.executor);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(login.username());
        options.setPassword(login.password().toCharArray());
        options.setCleanSession(true);
        options.setKeepAliveInterval(300);
        options.setConnectionTimeout(10);
        options.setMaxInflight(100);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        try {
            client.connect(options).waitForCompletion(TIMEOUT_MS);
        }
        catch (MqttException ex) {
            closeQuietly(client);
            throw ex;
        }
        return client;
    }

    @Override
    public String send(int device) {
        MqttAsyncClient client = this.clients[device];
        if (client == null) {
            return "not connected";
        }
        try {
            client.publish(this.devices.topic(device), this.payload, this.qos, false).waitForCompletion(TIMEOUT_MS);
            return null;
        }
        catch (MqttException ex) {
            return "MQTT " + ex.getReasonCode();
        }
    }

    @Override
    public void close() {
        try (ExecutorService closer = Executors.newVirtualThreadPerTaskExecutor()) {
            List<MqttAsyncClient> open = new ArrayList<>();
            for (MqttAsyncClient client : this.clients) {
                if (client != null) {
                    open.add(client);
                }
            }
            open.forEach(client -> closer.execute(() -> closeQuietly(client)));
        }
        this.executor.shutdownNow();
        try {
            this.executor.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(2000);
            }
        }
        catch (MqttException ex) {
            // closing below is what matters
        }
        try {
            client.close(true);
        }
        catch (MqttException ex) {
            // already closed
        }
    }
}
