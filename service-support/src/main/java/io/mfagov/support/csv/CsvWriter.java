package io.mfagov.support.csv;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The one CSV writer of every export: RFC 4180 (a cell is quoted when it holds a comma, a quote, CR or LF; quotes
 * are doubled; rows end in CRLF), streaming (each row goes to the underlying writer as it is written, nothing is
 * kept), an optional UTF-8 byte order mark so that Excel opens the file as UTF-8 (accents intact), and formula
 * neutralising per OWASP "CSV Injection": a cell starting with {@code =}, {@code +}, {@code -}, {@code @}, tab or CR
 * is prefixed with a single quote and quoted, so a spreadsheet shows it as text instead of running it.
 * A {@code null} cell is written as an empty cell. Not thread-safe.
 */
public final class CsvWriter implements Closeable, Flushable {

    /** The UTF-8 byte order mark, as a character (written first when asked for). */
    public static final char BOM = '\uFEFF';

    private static final String FORMULA_STARTS = "=+-@\t\r";

    private final Writer out;
    private final int columns;

    private CsvWriter(Writer out, boolean bom, List<String> header) {
        this.out = out;
        this.columns = header.size();
        try {
            if (bom) {
                out.write(BOM);
            }
            writeRow(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A writer for Excel: UTF-8 with a byte order mark, the header row written at once. Closing it closes
     * {@code out}.
     */
    public static CsvWriter forExcel(OutputStream out, List<String> header) {
        return new CsvWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)), true, header);
    }

    /** A writer onto {@code out}, with or without the byte order mark, the header row written at once. */
    public static CsvWriter onto(Writer out, boolean bom, List<String> header) {
        return new CsvWriter(out, bom, header);
    }

    /** Writes one row; it must have as many cells as the header. */
    public CsvWriter row(String... cells) throws IOException {
        return row(Arrays.asList(cells));
    }

    /** Writes one row; it must have as many cells as the header. */
    public CsvWriter row(List<String> cells) throws IOException {
        if (cells.size() != columns) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells under a header of " + columns);
        }
        writeRow(cells);
        return this;
    }

    private void writeRow(List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells.get(i)));
        }
        out.write("\r\n");
    }

    /** One cell as it appears in the file: neutralised if a spreadsheet would run it, quoted when needed. */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        boolean formula = FORMULA_STARTS.indexOf(value.charAt(0)) >= 0;
        String v = formula ? "'" + value : value;
        if (formula || v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
