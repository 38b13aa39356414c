package io.mfagov.support.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 records one at a time: quoted fields (with commas, doubled quotes and line breaks inside), CRLF or
 * LF line ends, a leading UTF-8 byte order mark skipped. Each record knows the line it starts on, for error messages.
 */
final class CsvRecords {

    /** One record: its fields, the line it starts on (1-based), and whether it is a {@code #} comment line. */
    record Record(List<String> fields, int line, boolean comment) {

        boolean blank() {
            return fields.stream().allMatch(f -> f.isBlank());
        }
    }

    private final Reader in;
    private int line = 1;
    private int pending = -2;
    private boolean atStart = true;

    CsvRecords(Reader in) {
        this.in = in;
    }

    private int read() throws IOException {
        if (pending != -2) {
            int c = pending;
            pending = -2;
            return c;
        }
        return in.read();
    }

    /** The next record, or {@code null} at the end of the input. */
    Record next() throws IOException {
        int c = read();
        if (atStart && c == CsvWriter.BOM) {
            c = read();
        }
        atStart = false;
        if (c == -1) {
            return null;
        }
        int start = line;
        boolean hash = false;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new MalformedCsvException(start, "a quoted field is not closed");
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = d;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == ',' && !hash) {
                fields.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n' || c == -1) {
                if (c == '\r') {
                    int d = read();
                    if (d != '\n') {
                        pending = d;
                    }
                }
                if (c != -1) {
                    line++;
                }
                fields.add(wasQuoted ? field.toString() : field.toString().strip());
                return new Record(fields, start, hash);
            } else if (c == '"' && field.toString().isBlank() && !wasQuoted && !hash) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else if (wasQuoted) {
                if (!Character.isWhitespace(c)) {
                    throw new MalformedCsvException(start, "text after a closing quote");
                }
            } else {
                if (c == '#' && fields.isEmpty() && field.toString().isBlank()) {
                    hash = true;
                }
                field.append((char) c);
            }
            c = read();
        }
    }

    /** A line that is not valid CSV. */
    static final class MalformedCsvException extends IOException {
        final int line;

        MalformedCsvException(int line, String message) {
            super(message);
            this.line = line;
        }
    }
}
