package io.iotgateway.registry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;

/**
 * Reads the device CSV of Alibaba's console (batch creation): UTF-8, with or without a byte order mark, a header
 * line naming ProductKey, DeviceName and DeviceSecret (any order and case, other columns ignored, an optional
 * Description column), then one device per line. Fields may be quoted as in RFC 4180; lines end in CRLF or LF;
 * blank lines are skipped. No message ever repeats a field's value.
 */
final class DeviceCsv {

    private static final List<String> REQUIRED = List.of("productkey", "devicename", "devicesecret");

    private DeviceCsv() {
    }

    static List<ImportRow> parse(byte[] body) {
        List<CsvRecords.Record> records = CsvRecords.parse(decode(body));
        if (records.isEmpty()) {
            throw invalid("The CSV is empty; its first line must be the header ProductKey,DeviceName,DeviceSecret.");
        }
        List<String> header = records.getFirst().fields().stream().map(DeviceCsv::columnName).toList();
        if (!header.containsAll(REQUIRED)) {
            throw invalid("The first line must be the header ProductKey,DeviceName,DeviceSecret (columns in any "
                    + "order; other columns are ignored).");
        }
        Columns columns = new Columns(header.indexOf("productkey"), header.indexOf("devicename"),
                header.indexOf("devicesecret"), header.indexOf("description"), header.size());
        return records.stream().skip(1).map(columns::row).toList();
    }

    private static String decode(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body))
                .toString();
            // Excel and the console write a byte order mark before the header
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        }
        catch (CharacterCodingException ex) {
            throw invalid("The CSV is not UTF-8; save it as \"CSV UTF-8\".");
        }
    }

    private static String columnName(String header) {
        return header.strip().replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static GatewayException invalid(String detail) {
        return new GatewayException(ProblemType.INVALID_IMPORT, detail);
    }

    private record Columns(int productKey, int deviceName, int deviceSecret, int description, int count) {

        ImportRow row(CsvRecords.Record record) {
            List<String> fields = record.fields();
            if (record.unterminatedQuote()) {
                return ImportRow.unreadable(record.line(), "A quoted field is not closed");
            }
            if (fields.size() != this.count) {
                return ImportRow.unreadable(record.line(), "The line has " + fields.size() + " field(s); the header "
                        + "has " + this.count);
            }
            String note = (this.description >= 0) ? fields.get(this.description).strip() : null;
            return new ImportRow(record.line(), fields.get(this.productKey).strip(),
                    fields.get(this.deviceName).strip(), fields.get(this.deviceSecret).strip(), note);
        }
    }
}
