package io.iotgateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The message every system under test publishes: printable, JSON-like bytes of the requested size, the same in
 * every run, and a copy in a file for {@code mosquitto_pub -f}.
 */
record Payload(byte[] bytes, Path file) {

    static Payload write(int size, Path file) throws IOException {
        byte[] bytes = bytes(size);
        Files.write(file, bytes);
        Bench.setReadable(file);
        return new Payload(bytes, file);
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(42);
        for (int i = 0; i < size; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        byte[] head = "{\"d\":\"".getBytes(StandardCharsets.US_ASCII);
        if (size >= head.length + 2) {
            System.arraycopy(head, 0, bytes, 0, head.length);
            bytes[size - 2] = '"';
            bytes[size - 1] = '}';
        }
        return bytes;
    }
}
