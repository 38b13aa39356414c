package io.mfagov.scanner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.mfagov.scanner.support.TestTenants.EMPTY;
import static io.mfagov.scanner.support.TestTenants.FULL;
import static org.assertj.core.api.Assertions.assertThat;

/** Argument handling of the one-shot mode: rejected before any scan starts (exit 64). */
class ScanCommandArgumentsTest {

    private final ScanCommand command = new ScanCommand(null);

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badArgumentsExit64WithTheUsage() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = command.run("--tenants", "contoso.onmicrosoft.com"));
        assertThat(code[0]).isEqualTo(ScanCommand.USAGE);
        assertThat(err).contains("not a tenant id").contains("usage:");
        assertThat(stderrOf(() -> code[0] = command.run())).contains("no tenants");
        assertThat(code[0]).isEqualTo(64);
        stderrOf(() -> code[0] = command.run("--tenants", EMPTY, "--bogus"));
        assertThat(code[0]).isEqualTo(64);
        stderrOf(() -> code[0] = command.run("--tenants-file", "/no/such/file"));
        assertThat(code[0]).isEqualTo(64);
        stderrOf(() -> code[0] = command.run("--out"));
        assertThat(code[0]).isEqualTo(64);
    }

    @Test
    void aTenantsFileMayBeAPlainListOrTheGuidesCsv(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("tenants.csv");
        Files.writeString(csv, "\uFEFFTenantId,DisplayName\n\"" + EMPTY + "\",Empty Co\n\n# comment\n" + FULL + ",Full\n");
        Path plain = dir.resolve("tenants.txt");
        Files.writeString(plain, EMPTY + "\n" + FULL + "\n");
        assertThat(ScanCommand.readTenantsFile(csv)).containsExactly(EMPTY, FULL);
        assertThat(ScanCommand.readTenantsFile(plain)).containsExactly(EMPTY, FULL);
    }

    @Test
    void csvCellsAreQuotedPerRfc4180() {
        assertThat(ScanCommand.cell("Smith, \"Bob\"")).isEqualTo("\"Smith, \"\"Bob\"\"\"");
        assertThat(ScanCommand.cell(null)).isEmpty();
        assertThat(ScanCommand.cell("plain")).isEqualTo("plain");
    }
}
