package io.iotgateway.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link BrokerLog} and {@link PlatformKicks} on what a real mosquitto writes when real clients log in as devices
 * the way the gateway does ({@code productKey.deviceName|securemode=3,...,timestamp=<ms>|}, username
 * {@code deviceName&productKey}).
 */
@EnabledIfMosquittoInstalled
class BrokerLogTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private MosquittoBroker broker;

    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBroker() {
        this.broker = MosquittoBroker.start(MosquittoConfig.anonymous());
    }

    @AfterEach
    void stop() {
        this.clients.forEach(BrokerLogTests::closeQuietly);
        this.broker.close();
    }

    @Test
    void countsLoginsPerDeviceAndLeavesOtherClientsOut() throws Exception {
        MqttClient first = login(clientId("a1Prod", "dev-1", 1), "dev-1&a1Prod");
        first.disconnect();
        login(clientId("a1Prod", "dev-1", 2), "dev-1&a1Prod");
        login(clientId("a1Prod", "dev-2", 3), "dev-2&a1Prod");
        login("test-subscriber-1", "subscriber");

        BrokerLog log = awaitLog((read) -> read.logins().size() == 3);

        assertThat(log.loginsByDevice()).isEqualTo(Map.of("a1Prod/dev-1", 2, "a1Prod/dev-2", 1));
        assertThat(log.doubleLogins()).isEmpty();
        assertThat(log.kicks()).isEmpty();
        assertThat(log.openLoginsByDevice()).containsOnlyKeys("a1Prod/dev-1", "a1Prod/dev-2");
        assertThat(log.logins()).allSatisfy((login) -> assertThat(login.time()).isNotNull());
    }

    @Test
    void aSecondLoginOfADeviceUnderAnotherClientIdIsADoubleLoginThatMosquittoDoesNotKick() throws Exception {
        MqttClient older = login(clientId("a1Prod", "dev-1", 1), "dev-1&a1Prod");
        login(clientId("a1Prod", "dev-1", 2), "dev-1&a1Prod");

        BrokerLog log = awaitLog((read) -> read.logins().size() == 2);

        assertThat(log.doubleLogins()).singleElement().satisfies((twice) -> {
            assertThat(twice.device()).isEqualTo("a1Prod/dev-1");
            assertThat(twice.clientId()).isEqualTo(clientId("a1Prod", "dev-1", 2));
            assertThat(twice.openClientIds()).containsExactly(clientId("a1Prod", "dev-1", 1));
        });
        assertThat(log.doubleLoginsByDevice()).isEqualTo(Map.of("a1Prod/dev-1", 1));
        assertThat(log.kicks()).isEmpty();
        assertThat(older.isConnected()).isTrue();
    }

    @Test
    void aReLoginWithTheSameClientIdIsAKickAndADoubleLogin() throws Exception {
        String id = clientId("a1Prod", "dev-1", 1);
        MqttClient older = login(id, "dev-1&a1Prod");
        login(id, "dev-1&a1Prod");

        BrokerLog log = awaitLog((read) -> read.logins().size() == 2);

        assertThat(log.kicks()).singleElement().satisfies((kick) -> {
            assertThat(kick.device()).isEqualTo("a1Prod/dev-1");
            assertThat(kick.clientId()).isEqualTo(id);
            assertThat(kick.byDevice()).isTrue();
        });
        assertThat(log.doubleLoginsByDevice()).isEqualTo(Map.of("a1Prod/dev-1", 1));
        assertThat(log.openLoginsByDevice().get("a1Prod/dev-1")).hasSize(1);
        await().atMost(TIMEOUT).until(() -> !older.isConnected());
    }

    @Test
    void platformKicksClosesTheOlderLoginOfADeviceAndKeepsTheNewer() throws Exception {
        try (PlatformKicks platform = PlatformKicks.start(this.broker)) {
            MqttClient older = login(clientId("a1Prod", "dev-1", 1), "dev-1&a1Prod");
            MqttClient other = login(clientId("a1Prod", "dev-2", 2), "dev-2&a1Prod");
            MqttClient newer = login(clientId("a1Prod", "dev-1", 3), "dev-1&a1Prod");

            await().atMost(TIMEOUT).until(() -> !older.isConnected());
            BrokerLog log = awaitLog((read) -> read.kicks().size() == 1);

            assertThat(newer.isConnected()).isTrue();
            assertThat(other.isConnected()).isTrue();
            assertThat(platform.kicks()).isEqualTo(1);
            assertThat(log.kicks()).singleElement().satisfies((kick) -> {
                assertThat(kick.clientId()).isEqualTo(clientId("a1Prod", "dev-1", 1));
                assertThat(kick.byDevice()).isFalse();
            });
            assertThat(log.doubleLoginsByDevice()).isEqualTo(Map.of("a1Prod/dev-1", 1));
            // the kicking client is no device
            assertThat(log.loginsByDevice()).isEqualTo(Map.of("a1Prod/dev-1", 2, "a1Prod/dev-2", 1));
            assertThat(log.openLoginsByDevice().get("a1Prod/dev-1")).extracting(BrokerLog.Login::clientId)
                .containsExactly(clientId("a1Prod", "dev-1", 3));
        }
    }

    @Test
    void platformKicksEveryOlderLoginOfABurst() throws Exception {
        int devices = 20;
        try (PlatformKicks platform = PlatformKicks.start(this.broker)) {
            List<MqttClient> older = loginAll(devices, 1);
            List<MqttClient> newer = loginAll(devices, 2);

            await().atMost(TIMEOUT).until(() -> older.stream().noneMatch(MqttClient::isConnected));
            BrokerLog log = awaitLog((read) -> read.kicks().size() == devices);

            assertThat(newer).allSatisfy((client) -> assertThat(client.isConnected()).isTrue());
            assertThat(platform.kicks()).isEqualTo(devices);
            assertThat(platform.failure()).isNull();
            assertThat(log.kicksByDevice()).hasSize(devices).allSatisfy((device, kicks) -> assertThat(kicks).isOne());
            assertThat(log.openLoginsByDevice()).hasSize(devices)
                .allSatisfy((device, open) -> assertThat(open).hasSize(1));
        }
    }

    @Test
    void positionsCountOnlyWhatCameLaterAndALineBeingWrittenWaits() {
        String text = """
                2026-12-04T18:45:33: New client connected from 127.0.0.1:1 as a1Prod.dev-1|securemode=3,timestamp=1| (p2, c1, k300, u'dev-1&a1Prod').
                2026-12-04T18:45:34: New client connected from 127.0.0.1:2 as a1Prod.dev-1|securemode=3,timestamp=2| (p2, c1, k300, u'dev-1&a1Prod').
                2026-12-04T18:45:35: Client a1Prod.dev-1|securemode=3,timestamp=1| closed its connection.
                2026-12-04T18:45:36: New client connected from 127.0.0.1:3 as a1Prod.dev-1|securemode=3,timestamp=3| (p2, c1, k300, u'dev-1&a1Prod').
                2026-12-04T18:45:37: New client connected from 127.0.0.1:4 as a1Prod.dev-2|securemode=3,timestamp=4| (p2, c1, k300, u'dev-2&a1Pr""";

        BrokerLog log = BrokerLog.parse(text);

        assertThat(log.lineCount()).isEqualTo(4);
        assertThat(log.loginsByDevice()).isEqualTo(Map.of("a1Prod/dev-1", 3));
        assertThat(log.doubleLogins()).extracting(BrokerLog.DoubleLogin::line).containsExactly(1, 3);
        assertThat(log.doubleLoginsSince(2)).singleElement()
            .satisfies((twice) -> assertThat(twice.openClientIds())
                .containsExactly("a1Prod.dev-1|securemode=3,timestamp=2|"));
        assertThat(log.doubleLoginsByDeviceSince(2)).isEqualTo(Map.of("a1Prod/dev-1", 1));
        assertThat(log.loginsSince(3)).hasSize(1);
    }

    @Test
    void theDeviceComesFromTheUsernameOrElseTheClientId() {
        assertThat(BrokerLog.deviceOf("anything", "dev-1&a1Prod")).isEqualTo("a1Prod/dev-1");
        assertThat(BrokerLog.deviceOf("a1Prod.dev-1|securemode=3,timestamp=1|", null)).isEqualTo("a1Prod/dev-1");
        assertThat(BrokerLog.deviceOf("test-sub-1", "subscriber")).isNull();
        assertThat(BrokerLog.deviceOf("test-sub-1", null)).isNull();
    }

    private BrokerLog awaitLog(java.util.function.Predicate<BrokerLog> done) {
        return await().atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> BrokerLog.of(this.broker), done::test);
    }

    private MqttClient login(String clientId, String username) throws MqttException {
        MqttClient client = new MqttClient(this.broker.uri(), clientId, new MemoryPersistence());
        client.setTimeToWait(TIMEOUT.toMillis());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword("signature".toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(5);
        client.connect(options);
        this.clients.add(client);
        return client;
    }

    /** Logs devices {@code dev-0} onwards in at once, as a member taking over a failed one's devices does. */
    private List<MqttClient> loginAll(int devices, long timestamp) throws Exception {
        List<Future<MqttClient>> logins = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < devices; i++) {
                String name = "dev-" + i;
                logins.add(executor.submit(() -> login(clientId("a1Prod", name, timestamp), name + "&a1Prod")));
            }
        }
        List<MqttClient> clients = new ArrayList<>();
        for (Future<MqttClient> login : logins) {
            clients.add(login.get());
        }
        return clients;
    }

    private static String clientId(String productKey, String deviceName, long timestamp) {
        return productKey + "." + deviceName + "|securemode=3,signmethod=hmacsha1,timestamp=" + timestamp + "|";
    }

    private static void closeQuietly(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        }
        catch (MqttException ex) {
            // the broker may have closed it already
        }
    }

}
