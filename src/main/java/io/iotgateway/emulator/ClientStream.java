package io.iotgateway.emulator;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * What a client sends the emulator, on its way to Moquette, corrected where Moquette differs from the platform. It
 * reads only packet boundaries, never a payload:
 * <ul>
 * <li>the first packet must be a CONNECT: anything else (a TLS handshake on the plain port above all) is refused
 * with one reason, where Moquette would log a stack trace;</li>
 * <li>an MQTT 3.1 CONNECT ({@code MQIsdp}, level 3) is handed on as 3.1.1: Netty's decoder caps a 3.1 client id at
 * 23 characters, and the platform's {@code cid|securemode=3,signmethod=...|} ids are longer. The packets after
 * CONNECT are the same in both versions;</li>
 * <li>a PUBLISH's retain flag is cleared: the platform keeps no retained messages on MQTT 3.1 and 3.1.1, so the
 * message is delivered and never redelivered.</li>
 * </ul>
 * Not thread-safe: one per connection, used on its event loop.
 */
final class ClientStream {

    /** What to do with the bytes just read. */
    sealed interface Step {

        /** @param bytes what to hand on, possibly empty while the CONNECT is incomplete */
        record Forward(ByteBuf bytes) implements Step {
        }

        /** @param reason why the connection is closed, fit for one log line */
        record Refuse(String reason) implements Step {
        }
    }

    static final int CONNECT = 0x10;

    private static final int TLS_HANDSHAKE = 0x16;

    // a CONNECT with the longest user name and password the platform takes fits many times over
    static final int MAX_CONNECT_BYTES = 64 * 1024;

    private static final byte[] MQTT_3_1_1 = { 0, 4, 'M', 'Q', 'T', 'T', 4 };

    private final ByteBufAllocator allocator;

    // the CONNECT read so far; null once it was handed on
    private @Nullable ByteBuf connect;

    private final PacketBoundaries boundaries = new PacketBoundaries();

    private @Nullable String clientId;

    private boolean mqtt31;

    ClientStream(ByteBufAllocator allocator) {
        this.allocator = allocator;
        this.connect = allocator.buffer(256);
    }

    /** Takes ownership of the bytes read from the client. */
    Step accept(ByteBuf read) {
        if (this.connect == null) {
            this.boundaries.clearRetainFlags(read);
            return new Step.Forward(read);
        }
        this.connect.writeBytes(read);
        read.release();
        return connectStep(this.connect);
    }

    /** The client id of the CONNECT, once it was read. */
    @Nullable String clientId() {
        return this.clientId;
    }

    /** Whether the client logged in with MQTT 3.1. */
    boolean isMqtt31() {
        return this.mqtt31;
    }

    /** How many PUBLISHes had their retain flag cleared. */
    long clearedRetainFlags() {
        return this.boundaries.clearedRetainFlags();
    }

    /** Frees what is held; call when the connection closes. */
    void release() {
        if (this.connect != null) {
            this.connect.release();
            this.connect = null;
        }
    }

    private Step connectStep(ByteBuf pending) {
        int first = pending.getUnsignedByte(pending.readerIndex());
        if (first != CONNECT) {
            release();
            return new Step.Refuse((first == TLS_HANDSHAKE)
                    ? "a TLS handshake on the emulator's plain TCP port; connect to its tcp:// address with securemode=3"
                    : String.format("the first packet is not an MQTT CONNECT (first byte 0x%02X)", first));
        }
        int[] length = PacketBoundaries.remainingLength(pending, pending.readerIndex() + 1);
        if (length == null) {
            return new Step.Forward(this.allocator.buffer(0));
        }
        int total = 1 + length[1] + length[0];
        if (total > MAX_CONNECT_BYTES) {
            release();
            return new Step.Refuse("a CONNECT of " + total + " bytes; at most " + MAX_CONNECT_BYTES + " are accepted");
        }
        if (pending.readableBytes() < total) {
            return new Step.Forward(this.allocator.buffer(0));
        }
        ByteBuf out;
        try {
            out = handOn(pending, 1 + length[1], length[0]);
        }
        catch (IndexOutOfBoundsException ex) {
            release();
            return new Step.Refuse("a malformed CONNECT (its fields run past its length)");
        }
        this.connect = null;
        // what followed the CONNECT in the same read is already a later packet
        ByteBuf rest = pending.retainedSlice(pending.readerIndex() + total, pending.readableBytes() - total);
        pending.release();
        this.boundaries.clearRetainFlags(rest);
        return new Step.Forward(this.allocator.compositeBuffer(2).addComponents(true, out, rest));
    }

    /** The CONNECT as Moquette should read it: as 3.1.1 when it came as 3.1. */
    private ByteBuf handOn(ByteBuf pending, int headerBytes, int remaining) {
        int body = pending.readerIndex() + headerBytes;
        int nameLength = pending.getUnsignedShort(body);
        String name = pending.toString(body + 2, nameLength, StandardCharsets.UTF_8);
        int level = pending.getUnsignedByte(body + 2 + nameLength);
        int afterLevel = body + 2 + nameLength + 1;
        // flags (1), keep-alive (2), then the client id
        int idAt = afterLevel + 3;
        this.clientId = pending.toString(idAt + 2, pending.getUnsignedShort(idAt), StandardCharsets.UTF_8);
        this.mqtt31 = "MQIsdp".equals(name) && level == 3;
        if (!this.mqtt31) {
            return pending.retainedSlice(pending.readerIndex(), headerBytes + remaining);
        }
        int rest = remaining - (2 + nameLength + 1);
        ByteBuf upgraded = this.allocator.buffer(5 + MQTT_3_1_1.length + rest);
        upgraded.writeByte(CONNECT);
        PacketBoundaries.writeRemainingLength(upgraded, MQTT_3_1_1.length + rest);
        upgraded.writeBytes(MQTT_3_1_1);
        upgraded.writeBytes(pending, afterLevel, rest);
        return upgraded;
    }
}
