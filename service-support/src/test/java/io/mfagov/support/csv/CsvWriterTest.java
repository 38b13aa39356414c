package io.mfagov.support.csv;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvWriterTest {

    @Test
    void cellsAreQuotedOnlyWhenTheyHoldACommaAQuoteOrALineBreakAndQuotesAreDoubled() {
        assertThat(CsvWriter.cell("plain")).isEqualTo("plain");
        assertThat(CsvWriter.cell("Smith, \"Bob\"")).isEqualTo("\"Smith, \"\"Bob\"\"\"");
        assertThat(CsvWriter.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvWriter.cell("a\rb")).isEqualTo("\"a\rb\"");
        assertThat(CsvWriter.cell(null)).isEmpty();
        assertThat(CsvWriter.cell("")).isEmpty();
    }

    @Test
    void aCellASpreadsheetWouldRunAsAFormulaIsPrefixedWithAQuoteAndQuoted() {
        assertThat(CsvWriter.cell("=HYPERLINK(\"http://evil\",\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
        assertThat(CsvWriter.cell("+1+cmd")).isEqualTo("\"'+1+cmd\"");
        assertThat(CsvWriter.cell("-2+3")).isEqualTo("\"'-2+3\"");
        assertThat(CsvWriter.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(CsvWriter.cell("\t=1")).isEqualTo("\"'\t=1\"");
        assertThat(CsvWriter.cell("\r=1")).isEqualTo("\"'\r=1\"");
        assertThat(CsvWriter.cell("a=b")).isEqualTo("a=b");
    }

    @Test
    void excelFilesStartWithTheUtf8BomAndEndRowsInCrlfWithAccentsIntact() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvWriter csv = CsvWriter.forExcel(bytes, List.of("Name", "Note"))) {
            csv.row("Zoë Müller", null);
        }
        byte[] b = bytes.toByteArray();
        assertThat(b).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        assertThat(new String(b, 3, b.length - 3, StandardCharsets.UTF_8)).isEqualTo("Name,Note\r\nZoë Müller,\r\n");
    }

    @Test
    void withoutBomTheFileStartsWithTheHeader() throws IOException {
        StringWriter out = new StringWriter();
        CsvWriter.onto(out, false, List.of("A", "B")).row("1", "2").flush();
        assertThat(out.toString()).isEqualTo("A,B\r\n1,2\r\n");
    }

    @Test
    void rowsReachTheStreamAsTheyAreWrittenNotAtTheEnd() throws IOException {
        CountingStream sink = new CountingStream();
        try (CsvWriter csv = CsvWriter.forExcel(sink, List.of("Id"))) {
            String cell = "x".repeat(1000);
            for (int i = 0; i < 100; i++) {
                csv.row(cell);
            }
            // The buffer is bounded: most of the 100 kB has left the writer before it is closed.
            assertThat(sink.count).isGreaterThan(90_000);
        }
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRefused() {
        CsvWriter csv = CsvWriter.onto(new StringWriter(), false, List.of("A", "B"));
        assertThatThrownBy(() -> csv.row("only one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells under a header of 2");
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
