package io.iotgateway.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.iotgateway.credential.AliyunMqttSigner;
import io.iotgateway.credential.DeviceTriple;
import io.iotgateway.credential.MqttConnectCredentials;
import io.iotgateway.credential.SecureMode;
import io.iotgateway.credential.SignMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a network client sends (client id, user name, topic) reaches the emulator's log escaped: a newline cannot
 * forge a log line, an ANSI escape cannot recolour or clear the operator's terminal.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmulatorLogTests {

    private static final DeviceTriple SHEEP = new DeviceTriple("a61QmwQD5ZF", "mosheep", "f00dfeedf00dfeedf00dfeed");

    // short enough for the 64 characters the platform allows before the client id's '|'
    private static final String FORGED = "\nINFO forged: \u001b[31mok\u001b[0m";

    private PlatformEmulator emulator;

    @BeforeEach
    void start() {
        this.emulator = TestEmulator.start(SHEEP);
    }

    @AfterEach
    void stop() {
        this.emulator.stop();
    }

    @Test
    void clientIdsUserNamesAndTopicsFromTheNetworkAreLoggedEscaped(CapturedOutput output) throws Exception {
        // refused logins: a malformed client id, a user name of no device, a malformed timestamp
        assertThat(connect("bad" + FORGED, "mosheep&a61QmwQD5ZF", "not-the-password").connackCode()).isNotZero();
        assertThat(connect("cid" + FORGED + "|securemode=3,signmethod=hmacsha1|", "nobody" + FORGED, "x")
            .connackCode()).isNotZero();
        assertThat(connect("cid|securemode=3,signmethod=hmacsha1,timestamp=1" + FORGED + "|", "mosheep&a61QmwQD5ZF",
                "x").connackCode()).isNotZero();
        // an accepted login whose signed client id carries the forgery, publishing to a topic that does too
        MqttConnectCredentials login = new AliyunMqttSigner(Clock.fixed(Instant.now(), ZoneOffset.UTC)).sign(SHEEP,
                "sheep" + FORGED, SignMethod.HMACSHA1, SecureMode.TCP);
        try (RawMqtt sheep = connect(login.clientId(), login.username(), login.password())) {
            assertThat(sheep.connackCode()).isZero();
            sheep.publishQos0("/a61QmwQD5ZF/mosheep/user/x" + FORGED, "baa");

            await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getAll()).contains("Emulator received on"));
        }

        assertThat(output.getAll()).contains("Emulator refused CONNECT", "Emulator accepted login")
            .contains("\\nINFO forged: \\u001B[31mok\\u001B[0m")
            .doesNotContain(FORGED, "\u001b", "\nINFO forged");
    }

    private RawMqtt connect(String clientId, String username, String password) throws IOException {
        RawMqtt client = new RawMqtt(this.emulator.port());
        client.connect(clientId, username, password);
        return client;
    }

    /**
     * MQTT 3.1.1 over a plain socket: Paho refuses control characters in client ids and topics, a hostile client
     * does not.
     */
    private static final class RawMqtt implements AutoCloseable {

        private final Socket socket;

        private int connackCode = -1;

        RawMqtt(int port) throws IOException {
            this.socket = new Socket("127.0.0.1", port);
            this.socket.setSoTimeout(5000);
        }

        void connect(String clientId, String username, String password) throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            string(packet, "MQTT");
            // level 4 (3.1.1); user name, password and clean session; keep-alive 60 s
            packet.writeBytes(new byte[] { 4, (byte) 0xC2, 0, 60 });
            string(packet, clientId);
            string(packet, username);
            string(packet, password);
            send(0x10, packet.toByteArray());
            byte[] connack = this.socket.getInputStream().readNBytes(4);
            this.connackCode = (connack.length == 4) ? connack[3] : -1;
        }

        int connackCode() {
            return this.connackCode;
        }

        void publishQos0(String topic, String payload) throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            string(packet, topic);
            packet.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
            send(0x30, packet.toByteArray());
        }

        private void send(int type, byte[] rest) throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(type);
            int length = rest.length;
            do {
                int digit = length % 128;
                length /= 128;
                packet.write((length > 0) ? digit | 0x80 : digit);
            }
            while (length > 0);
            packet.writeBytes(rest);
            OutputStream out = this.socket.getOutputStream();
            out.write(packet.toByteArray());
            out.flush();
        }

        private static void string(ByteArrayOutputStream packet, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            packet.write(bytes.length >> 8);
            packet.write(bytes.length & 0xFF);
            packet.writeBytes(bytes);
        }

        @Override
        public void close() throws IOException {
            this.socket.close();
        }
    }
}
