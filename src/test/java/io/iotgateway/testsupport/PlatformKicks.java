package io.iotgateway.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

/**
 * Makes a mosquitto broker keep one connection per device, as the platform does: it watches the broker's log and,
 * when a device logs in while an older login of the same device is open under another client id (every login of
 * the gateway signs a fresh timestamp into its client id, so mosquitto alone keeps both), logs in with the older
 * one's client id, which mosquitto answers by closing it, and leaves again. The older connection's owner then sees
 * what a kick looks like on the platform: its connection closed by the broker right after another login.
 * <p>
 * The platform kicks at once; this within a poll of the log (50 ms) and a login, the kicks of one poll side by side
 * (a member that fails leaves a hundred double logins at once, which one kick after the other would leave open for
 * seconds). Its own client logs in as {@value #USERNAME}, which {@link BrokerLog} does not take for a device.
 */
public final class PlatformKicks implements AutoCloseable {

    /** The username of the kicking client: not {@code deviceName&productKey}, so never a device. */
    public static final String USERNAME = "platform-kicks";

    private static final Duration POLL = Duration.ofMillis(50);

    private static final int CONCURRENT_KICKS = 16;

    private final MosquittoBroker broker;

    private final Thread watcher;

    private final ExecutorService kickers = Executors.newFixedThreadPool(CONCURRENT_KICKS,
            Thread.ofPlatform().daemon().name("platform-kick-", 0).factory());

    // client ids already kicked, so that a log read before mosquitto wrote the kick does not kick twice
    private final Set<String> kicked = ConcurrentHashMap.newKeySet();

    private final AtomicInteger kicks = new AtomicInteger();

    private volatile boolean running = true;

    private volatile @Nullable Exception failure;

    private PlatformKicks(MosquittoBroker broker) {
        this.broker = broker;
        this.watcher = Thread.ofPlatform().daemon().name("platform-kicks").unstarted(this::watch);
    }

    /** Starts watching the broker's log; {@link #close()} stops. */
    public static PlatformKicks start(MosquittoBroker broker) {
        PlatformKicks kicks = new PlatformKicks(broker);
        kicks.watcher.start();
        return kicks;
    }

    /** The connections kicked so far: logins with an older login's client id that the broker accepted. */
    public int kicks() {
        return this.kicks.get();
    }

    /** The last failure to kick (a broker that did not answer), or {@code null}. */
    public @Nullable Exception failure() {
        return this.failure;
    }

    @Override
    public void close() {
        this.running = false;
        this.watcher.interrupt();
        this.kickers.shutdownNow();
        try {
            this.watcher.join(Duration.ofSeconds(10));
            this.kickers.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch() {
        while (this.running) {
            try {
                kickOlderLogins(BrokerLog.of(this.broker));
                Thread.sleep(POLL);
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (RuntimeException ex) {
                // a log read while the broker is being stopped: try again at the next poll
                this.failure = ex;
            }
        }
    }

    private void kickOlderLogins(BrokerLog log) {
        for (Map.Entry<String, List<BrokerLog.Login>> device : log.openLoginsByDevice().entrySet()) {
            List<BrokerLog.Login> open = device.getValue();
            // all but the newest, as the platform keeps the last login
            for (BrokerLog.Login older : open.subList(0, open.size() - 1)) {
                if (this.running && this.kicked.add(older.clientId())) {
                    this.kickers.execute(() -> kickQuietly(older.clientId()));
                }
            }
        }
    }

    private void kickQuietly(String clientId) {
        try {
            kick(clientId);
            this.kicks.incrementAndGet();
        }
        catch (MqttException | RuntimeException ex) {
            // a broker being stopped: the test reads the failure
            this.failure = ex;
        }
    }

    private void kick(String clientId) throws MqttException {
        try (MqttClient client = new MqttClient(this.broker.uri(), clientId, new MemoryPersistence())) {
            client.setTimeToWait(5_000);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName(USERNAME);
            options.setPassword(USERNAME.toCharArray());
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setConnectionTimeout(5);
            client.connect(options);
            client.disconnect(1_000);
        }
    }

}
