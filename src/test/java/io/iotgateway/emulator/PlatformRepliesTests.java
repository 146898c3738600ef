package io.iotgateway.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.registry.InMemoryCredentialService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A real emulator answering real Paho devices on their own connections: Alink replies by the demo product's thing
 * model, a product without model accepting any identifier, NTP, and the system topics of Alibaba's device SDKs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformRepliesTests {

    private static final DeviceTriple SHEEP = new DeviceTriple("a61QmwQD5ZF", "mosheep", "f00dfeedf00dfeedf00dfeed");

    // a product with no thing model configured
    private static final DeviceTriple GOAT = new DeviceTriple("b72RnxRE6AG", "goatee", "0123456789abcdef0123");

    private static final String SYS = "/sys/a61QmwQD5ZF/mosheep";

    private static final JsonMapper json = JsonMapper.builder().build();

    private PlatformEmulator emulator;

    private PahoDevice sheep;

    @BeforeAll
    void startEmulator() {
        this.emulator = new PlatformEmulator(properties(Map.of()),
                new InMemoryCredentialService(List.of(SHEEP, GOAT))).start();
    }

    @AfterAll
    void stopEmulator() {
        this.emulator.stop();
    }

    @BeforeEach
    void connectSheep() throws Exception {
        this.sheep = PahoDevice.connect(this.emulator.uri(), SHEEP, "sheep-1");
    }

    @AfterEach
    void closeDevices() throws Exception {
        this.sheep.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> this.emulator.connectedClientIds().isEmpty());
    }

    @Test
    void propertyPostsAreAnsweredOnTheDevicesConnectionAtItsSubscriptionQos() throws Exception {
        assertThat(this.sheep.subscribe(SYS + "/thing/event/property/post_reply", 1)).isEqualTo(1);

        this.sheep.publish(SYS + "/thing/event/property/post", propertyPost("41", "\"temperature\":23.5"), 1);
        this.sheep.publish(SYS + "/thing/event/property/post", propertyPost("42", "\"temperature\":23"), 0);

        PahoDevice.Arrived accepted = this.sheep.awaitMessage((m) -> m.payload().contains("\"41\""));
        PahoDevice.Arrived refused = this.sheep.awaitMessage((m) -> m.payload().contains("\"42\""));
        assertThat(accepted.topic()).isEqualTo(SYS + "/thing/event/property/post_reply");
        assertThat(accepted.qos()).isEqualTo(1);
        assertThat(accepted.retained()).isFalse();
        assertThat(code(accepted)).isEqualTo(200);
        assertThat(json.readTree(accepted.payload()).get("message").asString()).isEqualTo("success");
        assertThat(code(refused)).isEqualTo(460);
    }

    @Test
    void eventPostsAreAnsweredOnTheWildcardReplySubscriptionAtQos0() throws Exception {
        assertThat(this.sheep.subscribe(SYS + "/thing/event/+/post_reply", 0)).isZero();

        this.sheep.publish(SYS + "/thing/event/lowBattery/post",
                "{\"id\":\"7\",\"version\":\"1.0\",\"params\":{\"value\":{\"level\":5},\"time\":1524448722000},"
                        + "\"method\":\"thing.event.lowBattery.post\"}",
                1);

        PahoDevice.Arrived reply = this.sheep.awaitMessage(SYS + "/thing/event/lowBattery/post_reply");
        assertThat(reply.qos()).isZero();
        assertThat(code(reply)).isEqualTo(200);
        assertThat(json.readTree(reply.payload()).get("method").asString()).isEqualTo("thing.event.lowBattery.post");
    }

    @Test
    void aRequestWithAckZeroGetsNoReply() throws Exception {
        this.sheep.subscribe(SYS + "/thing/event/property/post_reply", 1);

        this.sheep.publish(SYS + "/thing/event/property/post",
                "{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":0},\"params\":{\"humidity\":5},"
                        + "\"method\":\"thing.event.property.post\"}",
                1);
        this.sheep.publish(SYS + "/thing/event/property/post", propertyPost("2", "\"humidity\":6"), 1);

        // replies come in request order on one connection: once the second is here, the first would be too
        this.sheep.awaitMessage((m) -> m.payload().contains("\"2\""));
        assertThat(this.sheep.arrived()).hasSize(1);
    }

    @Test
    void aProductWithoutThingModelAcceptsAnyIdentifier() throws Exception {
        try (PahoDevice goat = PahoDevice.connect(this.emulator.uri(), GOAT, "goat-1")) {
            goat.subscribe("/sys/b72RnxRE6AG/goatee/thing/event/property/post_reply", 1);

            goat.publish("/sys/b72RnxRE6AG/goatee/thing/event/property/post",
                    propertyPost("9", "\"whatever\":\"goes\",\"count\":3"), 1);

            assertThat(code(goat.awaitMessage("/sys/b72RnxRE6AG/goatee/thing/event/property/post_reply")))
                .isEqualTo(200);
        }
    }

    @Test
    void ntpRequestsAreAnsweredWithTheServersTimes() throws Exception {
        assertThat(this.sheep.subscribe("/ext/ntp/a61QmwQD5ZF/mosheep/response", 0)).isZero();
        long before = System.currentTimeMillis();

        this.sheep.publish("/ext/ntp/a61QmwQD5ZF/mosheep/request", "{\"deviceSendTime\":\"1571724098000\"}", 0);

        JsonNode response = json.readTree(this.sheep.awaitMessage("/ext/ntp/a61QmwQD5ZF/mosheep/response").payload());
        assertThat(response.get("deviceSendTime").asString()).isEqualTo("1571724098000");
        long received = Long.parseLong(response.get("serverRecvTime").asString());
        long sent = Long.parseLong(response.get("serverSendTime").asString());
        assertThat(received).isBetween(before, sent);
        assertThat(sent).isLessThanOrEqualTo(System.currentTimeMillis());
    }

    @Test
    void theSdksSystemTopicsAreAcceptedAndOtherDevicesOnesAreNot() throws Exception {
        assertThat(this.sheep.subscribe("/shadow/get/a61QmwQD5ZF/mosheep", 1)).isEqualTo(1);
        assertThat(this.sheep.subscribe("/ext/session/a61QmwQD5ZF/mosheep/combine/login_reply", 1)).isEqualTo(1);
        assertThat(this.sheep.subscribe("/shadow/get/a61QmwQD5ZF/another", 1)).isEqualTo(128);

        this.sheep.publish("/shadow/update/a61QmwQD5ZF/mosheep", "{\"method\":\"get\"}", 1);
        this.sheep.publish("/ota/device/inform/a61QmwQD5ZF/mosheep", "{\"id\":\"1\",\"params\":{\"version\":\"1\"}}",
                1);

        assertThat(this.emulator.inbox().awaitMessage((m) -> m.topic().startsWith("/ota/"), Duration.ofSeconds(5)))
            .isPresent();
        assertThat(this.sheep.isConnected()).isTrue();
        assertThat(this.emulator.inbox().refusedPublishes()).isZero();
    }

    @Test
    void aThingModelThatCannotBeReadFailsTheEmulatorsConstruction() {
        InMemoryCredentialService credentials = new InMemoryCredentialService(List.of(SHEEP));

        assertThatIllegalArgumentException()
            .isThrownBy(() -> new PlatformEmulator(properties(Map.of("b72RnxRE6AG", "classpath:application.properties")),
                    credentials))
            .withMessageContaining("application.properties");
    }

    private static int code(PahoDevice.Arrived reply) {
        return json.readTree(reply.payload()).get("code").asInt();
    }

    private static String propertyPost(String id, String params) {
        return "{\"id\":\"" + id + "\",\"version\":\"1.0\",\"params\":{" + params
                + "},\"method\":\"thing.event.property.post\"}";
    }

    private static EmulatorProperties properties(Map<String, String> thingModels) {
        return new EmulatorProperties("127.0.0.1", 0, DataSize.ofKilobytes(256), Duration.ofSeconds(30),
                Duration.ofSeconds(1200), new EmulatorProperties.DemoDevice(false, "a61QmwQD5ZF", "mosheep"), 100,
                thingModels);
    }
}
