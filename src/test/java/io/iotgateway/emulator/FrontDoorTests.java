package io.iotgateway.emulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.iotgateway.credential.DeviceTriple;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the emulator's front door corrects in Moquette, with real clients: an MQTT 3.1 login with the platform's long
 * client id, a TLS attempt on the plain port logged in one line, and a retained PUBLISH never stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class FrontDoorTests {

    private static final DeviceTriple SHEEP = new DeviceTriple("a61QmwQD5ZF", "mosheep", "f00dfeedf00dfeedf00dfeed");

    private static final String STATE = "/a61QmwQD5ZF/mosheep/user/state";

    private PlatformEmulator emulator;

    @BeforeAll
    void startEmulator() {
        this.emulator = TestEmulator.start(SHEEP);
    }

    @AfterAll
    void stopEmulator() {
        this.emulator.stop();
    }

    @BeforeEach
    void clearInbox() {
        this.emulator.inbox().clear();
    }

    @Test
    void anMqtt31LoginWithThePlatformsLongClientIdSucceedsAndPublishes() throws Exception {
        try (PahoDevice sheep = PahoDevice.connect(this.emulator.uri(), SHEEP, "sheep-speaking-mqtt-3.1",
                MqttConnectOptions.MQTT_VERSION_3_1)) {
            assertThat(sheep.clientId()).hasSizeGreaterThan(23);

            sheep.publish(STATE, "{\"baa\":31}", 1);

            assertThat(this.emulator.inbox().awaitMessage((m) -> m.topic().equals(STATE), Duration.ofSeconds(5)))
                .hasValueSatisfying((m) -> assertThat(m.clientId()).isEqualTo(sheep.clientId()));
        }
    }

    @Test
    void aTlsAttemptOnThePlainPortIsRefusedWithOneLogLine(CapturedOutput output) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(this.emulator.host(), this.emulator.port()), 5000);
            socket.setSoTimeout(5000);

            assertThatExceptionOfType(IOException.class).isThrownBy(socket::startHandshake);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("TLS handshake on the emulator"));
        // the output is the whole process's, with tests of other classes running beside this one: read the emulator's
        List<String> emulatorLines = output.getAll()
            .lines()
            .filter((line) -> line.contains("emulator") || line.contains("moquette") || line.contains("netty"))
            .toList();
        assertThat(emulatorLines).filteredOn((line) -> line.contains("TLS handshake on the emulator")).hasSize(1);
        assertThat(emulatorLines).noneMatch((line) -> line.contains("Exception"));
        assertThat(output.getAll()).doesNotContain("\tat io.netty", "DecoderException");
    }

    @Test
    void aRetainedPublishIsDeliveredOnceWithoutTheFlagAndNeverAgain() throws Exception {
        try (PahoDevice sheep = PahoDevice.connect(this.emulator.uri(), SHEEP, "sheep-retains")) {
            sheep.subscribe(STATE, 1);

            sheep.publish(STATE, "sticky", 1, true);

            assertThat(sheep.awaitMessage(STATE).retained()).isFalse();
        }
        try (PahoDevice later = PahoDevice.connect(this.emulator.uri(), SHEEP, "sheep-subscribes-later")) {
            later.subscribe(STATE, 1);
            // a retained message would be sent before anything published after the SUBSCRIBE
            later.publish(STATE, "marker", 1);

            later.awaitMessage((m) -> m.payload().equals("marker"));
            assertThat(later.arrived()).extracting(PahoDevice.Arrived::payload).containsExactly("marker");
        }
    }
}
