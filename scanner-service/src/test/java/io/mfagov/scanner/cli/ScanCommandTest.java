package io.mfagov.scanner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mfagov.scanner.support.GraphSimulatorResource;
import io.mfagov.scanner.support.TestTenants;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-shot mode end to end: arguments → Graph simulator → CSV + JSON files → exit code. */
@QuarkusMainTest
@TestProfile(CliProfile.class)
@WithTestResource(GraphSimulatorResource.class)
class ScanCommandTest {

    private static final String HEADER = "TenantId,TenantName,PolicyName,PolicyId,ExcludedUserId,ExcludedUPN,"
            + "ExcludedDisplayName,PrincipalType,ExcludedVia,PolicyState,MfaRequirement,AccountEnabled,UserType,Resolved";

    @Test
    void scanningCompleteTenantsWritesCsvAndJsonWithTheGuidesColumnsFirstAndExitsZero(QuarkusMainLauncher launcher,
                                                                                       @TempDir Path dir) throws IOException {
        LaunchResult result = launcher.launch("scan", "--tenants", TestTenants.FULL + "=Full Coverage Ltd,"
                + TestTenants.EMPTY, "--out", dir.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("[2/2]").contains("Wrote");
        Path csv = only(dir, ".csv");
        assertThat(csv.getFileName().toString()).matches("CA_Exclusions_Multi_\\d{4}-\\d{2}-\\d{2}_\\d{4}\\.csv");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("\uFEFF" + HEADER);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(TestTenants.FULL + ",Full Coverage Ltd,Require MFA for all users,"
                + TestTenants.P_ALL_USERS + "," + TestTenants.HOST_1 + ",host1@full.example,Host One,USER,"
                + "group:Legacy Scanners > group:Scanner Hosts,enabled,mfa,true,Member,true"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(TestTenants.BREAK_GLASS_1)
                .contains(",enabledForReportingButNotEnforced,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(TestTenants.DELETED_USER).endsWith(",false"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(",LOCATION,location:Headquarters,enabled,"
                + "authenticationStrength:Phishing-resistant MFA,"));

        JsonNode json = new ObjectMapper().readTree(only(dir, ".json").toFile());
        assertThat(json.size()).isEqualTo(lines.size() - 1);
        assertThat(json.get(0).fieldNames()).toIterable().containsExactly(HEADER.split(","));
    }

    @Test
    void aTenantsFileWrittenByPowerShellIsReadAndTheCsvOpensInExcelWithFormulasNeutralisedAndTheTenantNamed(
            QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        // Export-Csv -NoTypeInformation -Encoding UTF8: BOM, every header and value quoted, CRLF
        Path tenants = Files.write(dir.resolve("tenants.csv"), ("\uFEFF\"TenantId\",\"DisplayName\"\r\n"
                + "\"" + TestTenants.HOSTILE + "\",\"Zoë Müller Zahnarztpraxis\"\r\n").getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("out");

        LaunchResult result = launcher.launch("scan", "--tenants-file", tenants.toString(), "--out", out.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        byte[] bytes = Files.readAllBytes(only(out, ".csv"));
        assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String csv = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",")
                .contains(",\"'+1+cmd\",").contains(",\"'-2+3\",").contains(",\"'@SUM(A1)\",")
                .contains(",\"'\t=1+1\",").contains(",\"'\r=1+1\",").contains(",Zoë Müller,");
        List<String> rows = List.of(csv.split("\r\n(?=" + TestTenants.HOSTILE + ",|$)"));
        assertThat(rows.get(0)).isEqualTo(HEADER);
        assertThat(rows.subList(1, rows.size())).hasSize(7)
                .allSatisfy(r -> assertThat(r).startsWith(TestTenants.HOSTILE + ",Zoë Müller Zahnarztpraxis,MFA for everyone,"));
    }

    @Test
    void aFailedTenantExitsTwoNamesItOnStderrAndTheOtherTenantsRowsAreStillWritten(QuarkusMainLauncher launcher,
                                                                                    @TempDir Path dir) throws IOException {
        LaunchResult result = launcher.launch("scan", "--tenants", TestTenants.UNKNOWN + "," + TestTenants.FULL,
                "--out", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains(TestTenants.UNKNOWN).contains("FAILED");
        assertThat(Files.readAllLines(only(dir, ".csv"))).anySatisfy(l -> assertThat(l).startsWith(TestTenants.FULL));
    }

    private static Path only(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.toString().endsWith(suffix)).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }
}
