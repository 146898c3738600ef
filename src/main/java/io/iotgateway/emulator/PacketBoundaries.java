package io.iotgateway.emulator;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Follows the MQTT packets in a byte stream by their fixed headers only (type and flags, remaining length), across
 * reads that split packets anywhere, and clears the retain flag of every PUBLISH in place.
 */
final class PacketBoundaries {

    private static final int PUBLISH = 3;

    private static final int RETAIN = 0x01;

    private enum State {
        HEADER, LENGTH, BODY
    }

    private State state = State.HEADER;

    private int length;

    private int multiplier;

    private long bodyLeft;

    private long cleared;

    /** Walks the readable bytes, clearing retain flags; the reader index does not move. */
    void clearRetainFlags(ByteBuf bytes) {
        int index = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (index < end) {
            switch (this.state) {
                case HEADER -> index = header(bytes, index);
                case LENGTH -> index = lengthByte(bytes, index);
                case BODY -> {
                    long skipped = Math.min(this.bodyLeft, end - index);
                    index += (int) skipped;
                    this.bodyLeft -= skipped;
                    if (this.bodyLeft == 0) {
                        this.state = State.HEADER;
                    }
                }
            }
        }
    }

    long clearedRetainFlags() {
        return this.cleared;
    }

    private int header(ByteBuf bytes, int index) {
        int header = bytes.getUnsignedByte(index);
        if ((header >> 4) == PUBLISH && (header & RETAIN) != 0) {
            bytes.setByte(index, header & ~RETAIN);
            this.cleared++;
        }
        this.state = State.LENGTH;
        this.length = 0;
        this.multiplier = 1;
        return index + 1;
    }

    private int lengthByte(ByteBuf bytes, int index) {
        int digit = bytes.getUnsignedByte(index);
        this.length += (digit & 0x7F) * this.multiplier;
        this.multiplier *= 128;
        if ((digit & 0x80) == 0) {
            this.bodyLeft = this.length;
            this.state = (this.length == 0) ? State.HEADER : State.BODY;
        }
        // a fifth length byte is malformed: Moquette's decoder refuses it, this only has to stay in step
        return index + 1;
    }

    /**
     * Reads a remaining length at the index.
     * @return {value, bytes it took}, or {@code null} when the bytes end before it does
     */
    static int @Nullable [] remainingLength(ByteBuf bytes, int index) {
        int value = 0;
        int multiplier = 1;
        for (int i = 0; i < 4; i++) {
            if (index + i >= bytes.writerIndex()) {
                return null;
            }
            int digit = bytes.getUnsignedByte(index + i);
            value += (digit & 0x7F) * multiplier;
            if ((digit & 0x80) == 0) {
                return new int[] { value, i + 1 };
            }
            multiplier *= 128;
        }
        // malformed: more than four bytes; let Moquette refuse it
        return new int[] { value, 4 };
    }

    static void writeRemainingLength(ByteBuf out, int value) {
        int left = value;
        do {
            int digit = left % 128;
            left /= 128;
            out.writeByte((left > 0) ? (digit | 0x80) : digit);
        }
        while (left > 0);
    }
}
