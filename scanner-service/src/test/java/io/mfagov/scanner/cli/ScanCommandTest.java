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
            + "ExcludedDisplayName,PrincipalType,ExcludedVia,PolicyState,MfaRequirement,AccountEnabled,UserType,Resolved,"
            + "InScope,PolicyTarget,Eligible,Shadowed,ClosedBy,LastSignIn,SignIns,SingleFactorSignIns";
    private static final String COVERAGE_HEADER = "TenantId,TenantName,ScanStatus,SecurityDefaultsEnabled,EnabledMfaPolicies,"
            + "ReportOnlyMfaPolicies,AllUsersCovered,UncoveredUsers,GraphRequests,SignInWindowDays,MissingSignals";
    private static final String GAPS_HEADER = "TenantId,UserId,UPN,DisplayName,Kind,Count,FirstSeen,LastSeen,Apps,"
            + "ClientApps,Detail";
    private static final String UNCOVERED_HEADER = "TenantId,TenantName,UserId,UPN,DisplayName,Reason,Privileged";

    @Test
    void scanningCompleteTenantsWritesCsvAndJsonWithTheGuidesColumnsFirstAndExitsZero(QuarkusMainLauncher launcher,
                                                                                       @TempDir Path dir) throws IOException {
        LaunchResult result = launcher.launch("scan", "--tenants", TestTenants.FULL + "=Full Coverage Ltd,"
                + TestTenants.EMPTY, "--out", dir.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("[2/2]").contains("Wrote");
        Path csv = only(dir, "CA_Exclusions_Multi_", ".csv");
        assertThat(csv.getFileName().toString()).matches("CA_Exclusions_Multi_\\d{4}-\\d{2}-\\d{2}_\\d{4}\\.csv");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("\uFEFF" + HEADER);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(TestTenants.FULL + ",Full Coverage Ltd,Require MFA for all users,"
                + TestTenants.P_ALL_USERS + "," + TestTenants.HOST_1 + ",host1@full.example,Host One,USER,"
                + "group:Legacy Scanners > group:Scanner Hosts,enabled,mfa,true,Member,true"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(TestTenants.BREAK_GLASS_1)
                .contains(",enabledForReportingButNotEnforced,"));
        assertThat(lines).anySatisfy(l -> assertThat(cell(l, "ExcludedUserId")).isEqualTo(TestTenants.DELETED_USER))
                .filteredOn(l -> cell(l, "ExcludedUserId").equals(TestTenants.DELETED_USER))
                .allSatisfy(l -> assertThat(cell(l, "Resolved")).isEqualTo("false"));
        assertThat(lines).filteredOn(l -> cell(l, "ExcludedUserId").equals(TestTenants.HOST_1))
                .allSatisfy(l -> assertThat(cell(l, "PolicyTarget")).isEqualTo("allApps"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(",LOCATION,location:Headquarters,enabled,"
                + "authenticationStrength:Phishing-resistant MFA,"));

        JsonNode json = new ObjectMapper().readTree(only(dir, "CA_Exclusions_Multi_", ".json").toFile());
        assertThat(json.size()).isEqualTo(lines.size() - 1);
        assertThat(json.get(0).fieldNames()).toIterable().containsExactly((HEADER + ",Details,Flags").split(","));

        List<String> coverage = Files.readAllLines(only(dir, "CA_Coverage_", ".csv"));
        assertThat(coverage.get(0)).isEqualTo("\uFEFF" + COVERAGE_HEADER);
        assertThat(coverage).anySatisfy(l -> assertThat(l).startsWith(TestTenants.FULL + ",Full Coverage Ltd,COMPLETE,false,"));
        // no policy, no user: nobody is uncovered, and still nothing enforces MFA (8 = the endpoint minimum: 6
        // directory reads and the interactive and non-interactive sign-ins of a 30-day window, none missing)
        assertThat(coverage).contains(TestTenants.EMPTY + ",,COMPLETE,false,0,0,true,0,8,30,");
        assertThat(result.getOutput()).contains("NO_MFA_ENFORCEMENT: tenant " + TestTenants.EMPTY);
        List<String> uncovered = Files.readAllLines(only(dir, "CA_Uncovered_", ".csv"));
        assertThat(uncovered.get(0)).isEqualTo("\uFEFF" + UNCOVERED_HEADER);
        assertThat(uncovered.subList(1, uncovered.size())).isNotEmpty().allSatisfy(l -> assertThat(l)
                .startsWith(TestTenants.FULL + ",Full Coverage Ltd,")
                .containsPattern(",(EXCLUDED_EVERYWHERE|IN_NO_INCLUDE|ONLY_REPORT_ONLY|ONLY_PARTIAL_POLICIES),(true|false)$"));
        assertThat(uncovered).anySatisfy(l -> assertThat(l).contains(TestTenants.BREAK_GLASS_1 + ",bg1@full.example,"));
    }

    @Test
    void wholePolicyFactsAndHolesReachTheCsv(QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        LaunchResult result = launcher.launch("scan", "--tenants", TestTenants.SEMANTICS + "=Semantics Ltd",
                "--out", dir.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        List<String> lines = Files.readAllLines(only(dir, "CA_Exclusions_Multi_", ".csv"));
        assertThat(lines).anySatisfy(l -> {
            assertThat(cell(l, "ExcludedUserId")).isEqualTo("grant:compliantDevice");
            assertThat(cell(l, "PrincipalType")).isEqualTo("GRANT_ALTERNATIVE");
            assertThat(cell(l, "ExcludedVia")).startsWith("condition:");
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(cell(l, "ExcludedUserId")).isEqualTo("clientAppType:other");
            assertThat(cell(l, "ClosedBy")).isEqualTo("Block legacy authentication");
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(cell(l, "ExcludedUPN")).isEqualTo("alice@semantics.example");
            assertThat(cell(l, "InScope")).isEqualTo("false");
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(cell(l, "ExcludedUPN")).isEqualTo("candidate@semantics.example");
            assertThat(cell(l, "Eligible")).isEqualTo("true");
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(cell(l, "ExcludedUPN")).isEqualTo("admin@semantics.example");
            assertThat(cell(l, "Shadowed")).isEqualTo("true");
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(cell(l, "ExcludedUPN")).isEqualTo("printer@semantics.example");
            assertThat(cell(l, "MfaRequirement")).isEqualTo("block");
        });
        assertThat(lines).anySatisfy(l -> assertThat(cell(l, "MfaRequirement")).isEqualTo("customControl:DuoMfa"));
        assertThat(lines).anySatisfy(l -> assertThat(cell(l, "PolicyTarget")).isEqualTo("userAction:urn:user:registersecurityinfo"));
        assertThat(lines).anySatisfy(l -> assertThat(cell(l, "MfaRequirement")).isEqualTo("authenticationStrength:FIDO2 only"));
        JsonNode json = new ObjectMapper().readTree(only(dir, "CA_Exclusions_Multi_", ".json").toFile());
        assertThat(json).anySatisfy(row -> {
            assertThat(row.get("ExcludedUserId").asText()).isEqualTo("deviceFilter:exclude");
            assertThat(row.get("Details").get("rule").asText()).isEqualTo("device.displayName -startsWith \"KIOSK\"");
            assertThat(row.get("Flags").toString()).contains("userChangeableProperty");
        });
        assertThat(Files.readAllLines(only(dir, "CA_Coverage_", ".csv")))
                .contains(TestTenants.SEMANTICS + ",Semantics Ltd,COMPLETE,false,12,1,false,2," + graphRequests(result) + ",30,");
        assertThat(Files.readAllLines(only(dir, "CA_Uncovered_", ".csv"))).hasSize(3)
                .anySatisfy(l -> assertThat(l).endsWith(",breakglass@semantics.example,Break Glass,EXCLUDED_EVERYWHERE,true"));
    }

    @Test
    void signInEvidenceAndGapsReachTheCsvsWithTheWindowCappedAtGraphsRetention(QuarkusMainLauncher launcher,
                                                                              @TempDir Path dir) throws IOException {
        LaunchResult result = launcher.launch("scan", "--tenants", TestTenants.SIGN_INS + "=Sign-in Signals Ltd",
                "--sign-in-days", "45", "--out", dir.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("--sign-in-days 45: Graph keeps sign-in logs 30 days; reading 30");
        List<String> rows = Files.readAllLines(only(dir, "CA_Exclusions_Multi_", ".csv"));
        assertThat(rows).filteredOn(l -> l.contains("breakglass@signins.example")).isNotEmpty().allSatisfy(l -> {
            assertThat(cell(l, "LastSignIn")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
            assertThat(cell(l, "SignIns")).isEqualTo("2");
            assertThat(cell(l, "SingleFactorSignIns")).isEqualTo("0");
        });
        assertThat(rows).filteredOn(l -> l.contains("old.exception@signins.example")).isNotEmpty().allSatisfy(l -> {
            assertThat(cell(l, "LastSignIn")).as("none in the window").isEmpty();
            assertThat(cell(l, "SignIns")).isEqualTo("0");
        });
        assertThat(rows).filteredOn(l -> cell(l, "PrincipalType").equals("APPLICATION")).singleElement()
                .satisfies(l -> assertThat(cell(l, "SingleFactorSignIns")).isEqualTo("1"));
        List<String> coverage = Files.readAllLines(only(dir, "CA_Coverage_", ".csv"));
        assertThat(cell(COVERAGE_HEADER, coverage.get(1), "SignInWindowDays")).isEqualTo("30");
        assertThat(cell(COVERAGE_HEADER, coverage.get(1), "MissingSignals")).isEmpty();
        List<String> gaps = Files.readAllLines(only(dir, "CA_Gaps_", ".csv"));
        assertThat(gaps.get(0)).isEqualTo("\uFEFF" + GAPS_HEADER);
        assertThat(gaps).anySatisfy(l -> {
            assertThat(l).startsWith(TestTenants.SIGN_INS + ",44444444-aaaa-4000-8000-000000000002,svc-scanner@signins.example,"
                    + "Legacy Scanner Connector,SINGLE_FACTOR_SIGNINS,3,");
            assertThat(l).contains("Office 365 Exchange Online").contains("Exchange ActiveSync; Other clients");
        });
        assertThat(gaps).anySatisfy(l -> assertThat(l).contains(",svc-scanner@signins.example,Legacy Scanner Connector,NOT_REGISTERED,"));
        assertThat(gaps).anySatisfy(l -> assertThat(l).contains(",migrating.admin@signins.example,Migrating Admin,PER_USER_MFA_ONLY,"));
    }

    @Test
    void aNegativeSignInWindowIsAUsageError(QuarkusMainLauncher launcher, @TempDir Path dir) {
        LaunchResult result = launcher.launch("scan", "--tenants", TestTenants.SIGN_INS, "--sign-in-days", "-1",
                "--out", dir.toString());

        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.getErrorOutput()).contains("--sign-in-days must be 0 or more");
    }

    /** The Graph request count the command printed for its one tenant. */
    private static String graphRequests(LaunchResult result) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) Graph request\\(s\\)").matcher(result.getOutput());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** A cell of a report line by column name (the lines these tests read have no quoted commas). */
    private static String cell(String line, String column) {
        return cell(HEADER, line, column);
    }

    private static String cell(String header, String line, String column) {
        List<String> columns = List.of(header.split(","));
        String[] cells = line.split(",", -1);
        int i = columns.indexOf(column);
        return i < cells.length ? cells[i] : "";
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
        byte[] bytes = Files.readAllBytes(only(out, "CA_Exclusions_Multi_", ".csv"));
        assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String csv = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",")
                .contains(",\"'+1+cmd\",").contains(",\"'-2+3\",").contains(",\"'@SUM(A1)\",")
                .contains(",\"'\t=1+1\",").contains(",\"'\r=1+1\",").contains(",Zoë Müller,");
        List<String> rows = List.of(csv.split("\r\n(?=" + TestTenants.HOSTILE + ",|$)"));
        assertThat(rows.get(0)).isEqualTo(HEADER);
        assertThat(rows.subList(1, rows.size())).hasSize(7)
                .allSatisfy(r -> assertThat(r).startsWith(TestTenants.HOSTILE + ",Zoë Müller Zahnarztpraxis,MFA for everyone,"));

        // the coverage exports: BOM, the tenant named, and the uncovered users' hostile names neutralised too
        byte[] coverage = Files.readAllBytes(only(out, "CA_Coverage_", ".csv"));
        assertThat(coverage).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        assertThat(new String(coverage, StandardCharsets.UTF_8)).contains(TestTenants.HOSTILE + ",Zoë Müller Zahnarztpraxis,");
        byte[] uncovered = Files.readAllBytes(only(out, "CA_Uncovered_", ".csv"));
        assertThat(uncovered).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        assertThat(new String(uncovered, StandardCharsets.UTF_8))
                .contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",")
                .contains(TestTenants.HOSTILE + ",Zoë Müller Zahnarztpraxis,");
    }

    @Test
    void aFailedTenantExitsTwoNamesItOnStderrAndTheOtherTenantsRowsAreStillWritten(QuarkusMainLauncher launcher,
                                                                                    @TempDir Path dir) throws IOException {
        LaunchResult result = launcher.launch("scan", "--tenants", TestTenants.UNKNOWN + "," + TestTenants.FULL,
                "--out", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains(TestTenants.UNKNOWN).contains("FAILED");
        assertThat(Files.readAllLines(only(dir, "CA_Exclusions_Multi_", ".csv")))
                .anySatisfy(l -> assertThat(l).startsWith(TestTenants.FULL));
        assertThat(Files.readAllLines(only(dir, "CA_Coverage_", ".csv")))
                .anySatisfy(l -> assertThat(l).startsWith(TestTenants.UNKNOWN + ",,FAILED,,,,,,"));
    }

    private static Path only(Path dir, String prefix, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.toString().endsWith(suffix)).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }
}
