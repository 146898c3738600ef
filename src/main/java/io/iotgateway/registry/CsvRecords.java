package io.iotgateway.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records as RFC 4180 defines them (quoted fields may hold commas, quotes as {@code ""} and
 * line breaks), each with the line it starts on. Lines end in CRLF, LF or CR; blank lines are skipped.
 */
final class CsvRecords {

    private final String text;

    private final List<Record> records = new ArrayList<>();

    private int position;

    private int line = 1;

    private CsvRecords(String text) {
        this.text = text;
    }

    static List<Record> parse(String text) {
        CsvRecords parser = new CsvRecords(text);
        while (parser.position < text.length()) {
            parser.record();
        }
        return parser.records;
    }

    private void record() {
        int startLine = this.line;
        List<String> fields = new ArrayList<>();
        boolean unterminated = false;
        while (true) {
            StringBuilder field = new StringBuilder();
            unterminated |= field(field);
            fields.add(field.toString());
            if (peek() != ',') {
                break;
            }
            this.position++;
        }
        endOfLine();
        boolean blank = fields.size() == 1 && fields.getFirst().isBlank() && !unterminated;
        if (!blank) {
            this.records.add(new Record(startLine, fields, unterminated));
        }
    }

    /** Reads one field up to a comma or a line end; returns whether a quoted field ran to the end of the text. */
    private boolean field(StringBuilder field) {
        if (peek() == '"') {
            this.position++;
            while (true) {
                if (this.position >= this.text.length()) {
                    return true;
                }
                char c = this.text.charAt(this.position++);
                if (c == '"' && peek() == '"') {
                    field.append('"');
                    this.position++;
                }
                else if (c == '"') {
                    break;
                }
                else {
                    this.line += (c == '\n') ? 1 : 0;
                    field.append(c);
                }
            }
        }
        while (this.position < this.text.length() && ",\r\n".indexOf(this.text.charAt(this.position)) < 0) {
            field.append(this.text.charAt(this.position++));
        }
        return false;
    }

    private void endOfLine() {
        if (peek() == '\r') {
            this.position++;
        }
        if (peek() == '\n') {
            this.position++;
        }
        this.line++;
    }

    private int peek() {
        return (this.position < this.text.length()) ? this.text.charAt(this.position) : -1;
    }

    /**
     * One CSV record.
     *
     * @param line the line it starts on (1 is the first line)
     * @param fields its fields, unquoted
     * @param unterminatedQuote whether a quoted field ran to the end of the text
     */
    record Record(int line, List<String> fields, boolean unterminatedQuote) {
    }
}
