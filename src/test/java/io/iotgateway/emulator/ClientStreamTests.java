package io.iotgateway.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corrections of the client's byte stream, fed in reads of every size so that packets split anywhere.
 */
class ClientStreamTests {

    private static final String CLIENT_ID = "cid|securemode=3,signmethod=hmacsha256|";

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 7, 1000 })
    void anMqtt31ConnectIsHandedOnAs311AndRetainFlagsAreCleared(int readSize) {
        byte[] publishRetained = publish(0x31, "/t", "x");
        byte[] publishPlain = publish(0x32, "/t", "y");
        byte[] in = concat(connect("MQIsdp", 3), publishRetained, publishPlain, publishRetained);
        ClientStream stream = new ClientStream(UnpooledByteBufAllocator.DEFAULT);

        byte[] out = feed(stream, in, readSize);

        byte[] cleared = publishRetained.clone();
        cleared[0] = 0x30;
        assertThat(HexFormat.of().formatHex(out))
            .isEqualTo(HexFormat.of().formatHex(concat(connect("MQTT", 4), cleared, publishPlain, cleared)));
        assertThat(stream.isMqtt31()).isTrue();
        assertThat(stream.clientId()).isEqualTo(CLIENT_ID);
        assertThat(stream.clearedRetainFlags()).isEqualTo(2);
    }

    @Test
    void anMqtt311ConnectIsHandedOnUnchanged() {
        byte[] connect = connect("MQTT", 4);
        ClientStream stream = new ClientStream(UnpooledByteBufAllocator.DEFAULT);

        assertThat(feed(stream, connect, 5)).isEqualTo(connect);
        assertThat(stream.isMqtt31()).isFalse();
    }

    @Test
    void aTlsClientHelloAndOtherNonMqttAreRefusedWithAReason() {
        ClientStream tls = new ClientStream(UnpooledByteBufAllocator.DEFAULT);
        ClientStream http = new ClientStream(UnpooledByteBufAllocator.DEFAULT);

        ClientStream.Step hello = tls.accept(Unpooled.wrappedBuffer(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 }));
        ClientStream.Step get = http.accept(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));

        assertThat(hello).isInstanceOfSatisfying(ClientStream.Step.Refuse.class,
                (refuse) -> assertThat(refuse.reason()).contains("TLS handshake", "securemode=3"));
        assertThat(get).isInstanceOfSatisfying(ClientStream.Step.Refuse.class,
                (refuse) -> assertThat(refuse.reason()).contains("not an MQTT CONNECT (first byte 0x47)"));
    }

    private static byte[] feed(ClientStream stream, byte[] in, int readSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < in.length; at += readSize) {
            ByteBuf read = Unpooled.buffer().writeBytes(in, at, Math.min(readSize, in.length - at));
            ClientStream.Step step = stream.accept(read);
            assertThat(step).isInstanceOf(ClientStream.Step.Forward.class);
            ByteBuf forwarded = ((ClientStream.Step.Forward) step).bytes();
            out.writeBytes(ByteBufUtil.getBytes(forwarded));
            forwarded.release();
        }
        return out.toByteArray();
    }

    /** A CONNECT with clean session, keep-alive 60 s, the client id, a user name and a password. */
    private static byte[] connect(String protocol, int level) {
        byte[] body = concat(string(protocol), new byte[] { (byte) level, (byte) 0xC2, 0, 60 }, string(CLIENT_ID),
                string("mosheep&a61QmwQD5ZF"), string("0123456789abcdef"));
        return concat(new byte[] { 0x10, (byte) body.length }, body);
    }

    private static byte[] publish(int header, String topic, String payload) {
        byte[] body = concat(string(topic), new byte[] { 0, 1 }, payload.getBytes(StandardCharsets.UTF_8));
        return concat(new byte[] { (byte) header, (byte) body.length }, body);
    }

    private static byte[] string(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] { 0, (byte) bytes.length }, bytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
