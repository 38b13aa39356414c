package io.mfagov.scanner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.mfagov.scanner.support.TestTenants.EMPTY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scanner jar's command line, parsed without starting anything: help at every level, usage errors exit 64 with
 * the message and the usage on stderr, before any scan starts (the scanner is absent: reaching it would fail).
 */
class ScanCommandArgumentsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine.IFactory noScanner = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == ScanCommand.class ? cls.cast(new ScanCommand(null)) : CommandLine.defaultFactory().create(cls);
            }
        };
        return ScannerMain.commandLine(noScanner).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void topLevelHelpListsTheScanVerbAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: java -jar quarkus-run.jar").contains("scan").contains("Exit codes");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void scanHelpListsEveryOptionAndExitsZero() {
        assertThat(run("scan", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: java -jar quarkus-run.jar scan").contains("--tenants")
                .contains("--tenants-file").contains("--out").contains("Exit codes");
        assertThat(err.toString()).isEmpty();
        out.getBuffer().setLength(0);
        assertThat(run("scan", "-h")).isZero();
        assertThat(out.toString()).contains("--tenants-file");
    }

    @Test
    void aWrongVerbExits64WithTheUsageOnStderr() {
        assertThat(run("scna", "--tenants", EMPTY)).isEqualTo(ScanCommand.USAGE);
        assertThat(err.toString()).contains("Unmatched arguments from index 0: 'scna'").contains("Did you mean: java -jar quarkus-run.jar scan?")
                .contains("Usage: java -jar quarkus-run.jar");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aWrongFlagExits64WithTheScanUsageOnStderr() {
        assertThat(run("scan", "--tenants", EMPTY, "--bogus")).isEqualTo(64);
        assertThat(err.toString()).contains("Unknown option: '--bogus'").contains("Usage: java -jar quarkus-run.jar scan");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aTopLevelFlagOrNoVerbExits64() {
        assertThat(run("--tenants", EMPTY)).isEqualTo(64);
        assertThat(err.toString()).contains("Unknown options: '--tenants'").contains("Usage: java -jar quarkus-run.jar");
    }

    @Test
    void badTenantsExit64NamingTheProblem(@TempDir Path dir) throws IOException {
        assertThat(run("scan", "--tenants", "contoso.onmicrosoft.com")).isEqualTo(64);
        assertThat(err.toString()).contains("not a tenant id (GUID): 'contoso.onmicrosoft.com'").contains("Usage:");
        assertThat(run("scan")).isEqualTo(64);
        assertThat(err.toString()).contains("no tenants: give --tenants or --tenants-file");
        assertThat(run("scan", "--tenants-file", dir.resolve("none.csv").toString())).isEqualTo(64);
        assertThat(err.toString()).contains("none.csv: cannot read");
        Path bad = Files.writeString(dir.resolve("bad.csv"), "TenantId,DisplayName\r\n" + EMPTY + ",ok\r\nnope,x\r\n");
        assertThat(run("scan", "--tenants-file", bad.toString())).isEqualTo(64);
        assertThat(err.toString()).contains("bad.csv line 3: not a tenant id (GUID): 'nope'");
        assertThat(run("scan", "--tenants", EMPTY, "--out")).isEqualTo(64);
        assertThat(err.toString()).contains("Missing required parameter for option '--out'");
    }
}
