package io.iotgateway.registry;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A batch-creation CSV as Alibaba's console gives it (UTF-8 with a byte order mark, CRLF line ends, header
 * {@code ProductKey,DeviceName,DeviceSecret}, 32-character secrets), with bad lines put in where asked.
 */
final class AliyunBatchCsv {

    private static final SecureRandom random = new SecureRandom();

    private final String productKey;

    private final Map<Integer, String> badLines = new LinkedHashMap<>();

    private final Map<String, String> secrets = new LinkedHashMap<>();

    private final StringBuilder text = new StringBuilder("\uFEFFProductKey,DeviceName,DeviceSecret\r\n");

    private int line = 1;

    AliyunBatchCsv(String productKey) {
        this.productKey = productKey;
    }

    /** Adds {@code count} good devices named {@code prefix-0001...}. */
    AliyunBatchCsv devices(String prefix, int count) {
        for (int i = 1; i <= count; i++) {
            String name = prefix + "-%04d".formatted(i);
            String secret = newSecret();
            this.secrets.put(name, secret);
            append(this.productKey + "," + name + "," + secret);
        }
        return this;
    }

    /** Adds a line as given; its line number is remembered as a bad one. */
    AliyunBatchCsv bad(String line) {
        append(line);
        this.badLines.put(this.line, line);
        return this;
    }

    Map<Integer, String> badLines() {
        return this.badLines;
    }

    Map<String, String> secrets() {
        return this.secrets;
    }

    byte[] bytes() {
        return this.text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String newSecret() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void append(String content) {
        this.text.append(content).append("\r\n");
        this.line++;
    }
}
