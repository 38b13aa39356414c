package io.mfagov.scanner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.UncoveredUser;
import io.mfagov.scanner.service.CoverageCalculator;
import io.mfagov.scanner.service.Detection;
import io.mfagov.scanner.service.ParallelScanner;
import io.mfagov.scanner.service.TenantScan;
import io.mfagov.support.csv.CsvWriter;
import io.mfagov.support.csv.TenantsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code scan --tenants id[=name],... | --tenants-file F [--out DIR]}: the guide's script done right. Writes
 * {@code CA_Exclusions_Multi_<yyyy-MM-dd_HHmm>.csv} (UTF-8 with BOM for Excel, formulas neutralised) and {@code .json}
 * with one row per (tenant, policy, principal or hole, path), {@code CA_Coverage_<stamp>.csv} with one row per tenant
 * and {@code CA_Uncovered_<stamp>.csv} with one row per enabled user no MFA policy covers, {@code CA_Gaps_<stamp>.csv}
 * with one row per user and MFA gap kind (sign-in window: {@code --sign-in-days}). Exit 0 when every tenant completed, 2 when any failed or was
 * partial, 64 for bad arguments.
 */
@Command(name = ScannerMain.CLI_VERB, exitCodeOnInvalidInput = ScanCommand.USAGE,
        sortOptions = false,
        description = "Scans the given tenants once through Microsoft Graph and writes "
                + "CA_Exclusions_Multi_<yyyy-MM-dd_HHmm>.csv and .json, CA_Coverage_<stamp>.csv and "
                + "CA_Uncovered_<stamp>.csv and CA_Gaps_<stamp>.csv. No Kafka, no HTTP port.",
        footer = {"Graph access: mfagov.graph.* (env MFAGOV_GRAPH_CLIENT_ID, MFAGOV_GRAPH_CLIENT_SECRET, ...).",
                "Exit codes: 0 all tenants complete, 2 some tenant failed or partial, 64 bad arguments."})
public class ScanCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int INCOMPLETE = 2;
    public static final int USAGE = 64;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HHmm");

    @Option(names = "--tenants", paramLabel = "<id[=name],...>", split = ",",
            description = "tenant ids (GUIDs), comma-separated; id=Name sets the report's TenantName")
    List<String> tenantList = new ArrayList<>();

    @Option(names = "--tenants-file", paramLabel = "<file>",
            description = "CSV with a TenantId and optionally a DisplayName column (as PowerShell's Export-Csv writes"
                    + " it), or one tenant id per line")
    Path tenantsFile;

    @Option(names = "--out", paramLabel = "<dir>", defaultValue = ".",
            description = "directory for the reports (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--sign-in-days", paramLabel = "<days>",
            description = "days of sign-in logs to read for the gap signals (default: mfagov.graph.sign-in-days, 30);"
                    + " Graph keeps 30 days, so more is capped to 30 and said; 0 reads none")
    Integer signInDays;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final ParallelScanner scanner;

    public ScanCommand(ParallelScanner scanner) {
        this.scanner = scanner;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> names = tenants();
        if (signInDays != null && signInDays < 0) {
            throw new ParameterException(spec.commandLine(), "--sign-in-days must be 0 or more, got " + signInDays);
        }
        if (signInDays != null && signInDays > io.mfagov.scanner.config.ScannerSettings.SIGN_IN_RETENTION_DAYS) {
            out.printf("--sign-in-days %d: Graph keeps sign-in logs %d days; reading %d%n", signInDays,
                    io.mfagov.scanner.config.ScannerSettings.SIGN_IN_RETENTION_DAYS,
                    io.mfagov.scanner.config.ScannerSettings.SIGN_IN_RETENTION_DAYS);
        }
        List<String> ids = List.copyOf(names.keySet());
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot create output directory " + outDir + ": " + e.getMessage());
        }

        out.printf("Scanning %d tenant(s)...%n", ids.size());
        out.flush();
        AtomicInteger done = new AtomicInteger();
        List<TenantScan> scans = scanner.scanAll(ids, signInDays, s -> {
            synchronized (out) {
                out.printf("[%d/%d] %s %s: %d exclusion(s), %d Graph request(s)%n", done.incrementAndGet(), ids.size(),
                        s.tenantId(), s.status(), s.detections().size(), s.graphRequestCount());
                out.flush();
            }
        });

        String stamp = LocalDateTime.now().format(STAMP);
        String base = "CA_Exclusions_Multi_" + stamp;
        Path csv = outDir.resolve(base + ".csv");
        Path json = outDir.resolve(base + ".json");
        Path coverage = outDir.resolve("CA_Coverage_" + stamp + ".csv");
        Path uncovered = outDir.resolve("CA_Uncovered_" + stamp + ".csv");
        Path gaps = outDir.resolve("CA_Gaps_" + stamp + ".csv");
        int rows;
        try {
            rows = writeReport(scans, names, csv, json);
            writeCoverage(scans, names, coverage, uncovered);
            writeGaps(scans, gaps);
        } catch (IOException e) {
            err.println("scan: cannot write the report: " + e.getMessage());
            return INCOMPLETE;
        }
        out.printf("Wrote %d row(s) to %s and %s%n", rows, csv, json);
        out.printf("Wrote coverage to %s and %s%n", coverage, uncovered);
        out.printf("Wrote MFA gaps to %s%n", gaps);
        for (TenantScan s : scans) {
            if (s.coverage() != null && s.coverage().noMfaEnforcement()) {
                out.printf("NO_MFA_ENFORCEMENT: tenant %s %s enforces no MFA (no enabled MFA policy, security defaults off)%n",
                        s.tenantId(), names.getOrDefault(s.tenantId(), ""));
            }
        }

        List<TenantScan> incomplete = scans.stream().filter(s -> s.status() != ScanStatus.COMPLETE).toList();
        for (TenantScan s : incomplete) {
            // the access check's outcome and the tenant's admin-consent URL, so an operator knows what to do
            boolean access = s.access() != null && s.access().scanBlocked();
            err.printf("tenant %s %s%s: %s%s%n", s.tenantId(), s.status(), access ? " (" + s.access().status() + ")" : "",
                    s.error(), access && s.access().consentUrl() != null ? " | admin consent: " + s.access().consentUrl() : "");
        }
        err.flush();
        return incomplete.isEmpty() ? OK : INCOMPLETE;
    }

    /** Tenant id (lower case) to display name ("" when none was given), in the order given, each once. */
    private Map<String, String> tenants() {
        Map<String, String> tenants = new LinkedHashMap<>();
        try {
            TenantsFile.ofList(tenantList, "--tenants").tenants().forEach(t -> tenants.put(t.tenantId(), t.displayName()));
            if (tenantsFile != null) {
                TenantsFile file = TenantsFile.read(tenantsFile);
                file.duplicates().forEach(d -> spec.commandLine().getErr().printf(
                        "scan: %s line %d repeats tenant %s of line %d; scanned once%n", tenantsFile, d.line(),
                        d.tenantId(), d.firstLine()));
                file.tenants().forEach(t -> tenants.putIfAbsent(t.tenantId(), t.displayName()));
            }
        } catch (TenantsFile.TenantsFileException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (tenants.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no tenants: give --tenants or --tenants-file");
        }
        return tenants;
    }

    /** The coverage CSV's columns: one row per tenant. */
    public static final List<String> COVERAGE_COLUMNS = List.of("TenantId", "TenantName", "ScanStatus",
            "SecurityDefaultsEnabled", "EnabledMfaPolicies", "ReportOnlyMfaPolicies", "AllUsersCovered", "UncoveredUsers",
            "GraphRequests", "SignInWindowDays", "MissingSignals");
    /** The uncovered-users CSV's columns: one row per uncovered enabled user. */
    public static final List<String> UNCOVERED_COLUMNS = List.of("TenantId", "TenantName", "UserId", "UPN", "DisplayName",
            "Reason", "Privileged");

    /** Writes {@code CA_Coverage_<stamp>.csv} (one row per tenant) and {@code CA_Uncovered_<stamp>.csv}. */
    static void writeCoverage(List<TenantScan> scans, Map<String, String> names, Path coverageFile, Path uncoveredFile)
            throws IOException {
        try (OutputStream coverageOut = Files.newOutputStream(coverageFile);
             CsvWriter coverage = CsvWriter.forExcel(coverageOut, COVERAGE_COLUMNS);
             OutputStream uncoveredOut = Files.newOutputStream(uncoveredFile);
             CsvWriter uncovered = CsvWriter.forExcel(uncoveredOut, UNCOVERED_COLUMNS)) {
            for (TenantScan s : scans) {
                CoverageCalculator.Coverage c = s.coverage();
                coverage.row(java.util.Arrays.asList(s.tenantId(), names.getOrDefault(s.tenantId(), ""), s.status().name(),
                        c == null ? null : text(c.securityDefaultsEnabled()),
                        c == null ? null : Integer.toString(c.enabledMfaPolicies()),
                        c == null ? null : Integer.toString(c.reportOnlyMfaPolicies()),
                        c == null ? null : text(c.allUsersCovered()),
                        c == null ? null : Integer.toString(c.uncovered().size()),
                        Integer.toString(s.graphRequestCount()),
                        s.posture() == null || s.posture().signInWindowDays() == null ? null
                                : s.posture().signInWindowDays().toString(),
                        String.join("; ", s.missingSignals().stream().map(m -> m.signal() + ": " + m.reason()).toList())));
                if (c != null) {
                    for (UncoveredUser u : c.uncovered()) {
                        uncovered.row(java.util.Arrays.asList(s.tenantId(), names.getOrDefault(s.tenantId(), ""), u.id(),
                                u.userPrincipalName(), u.displayName(), u.reason().name(), text(u.privileged())));
                    }
                }
            }
        }
    }

    /** The gaps CSV's columns: one row per user and kind. */
    public static final List<String> GAP_COLUMNS = List.of("TenantId", "UserId", "UPN", "DisplayName", "Kind", "Count",
            "FirstSeen", "LastSeen", "Apps", "ClientApps", "Detail");

    /** Writes {@code CA_Gaps_<stamp>.csv}: NOT_REGISTERED, NOT_CAPABLE, SINGLE_FACTOR_SIGNINS, PER_USER_MFA_ONLY. */
    static void writeGaps(List<TenantScan> scans, Path gapsFile) throws IOException {
        try (OutputStream gapsOut = Files.newOutputStream(gapsFile);
             CsvWriter gaps = CsvWriter.forExcel(gapsOut, GAP_COLUMNS)) {
            for (TenantScan s : scans) {
                for (io.mfagov.scanner.service.Gap g : s.gaps()) {
                    gaps.row(java.util.Arrays.asList(s.tenantId(), g.userId(), g.userPrincipalName(), g.displayName(),
                            g.kind().name(), g.count() == null ? null : g.count().toString(),
                            g.firstSeen() == null ? null : g.firstSeen().toString(),
                            g.lastSeen() == null ? null : g.lastSeen().toString(), String.join("; ", g.apps()),
                            String.join("; ", g.clientApps()), g.detail()));
                }
            }
        }
    }

    private static String text(Boolean b) {
        return b == null ? null : b.toString();
    }

    /** Writes the rows to the CSV and the JSON file as they are produced; returns how many. */
    static int writeReport(List<TenantScan> scans, Map<String, String> names, Path csvFile, Path jsonFile)
            throws IOException {
        int rows = 0;
        try (OutputStream csvOut = Files.newOutputStream(csvFile);
             CsvWriter csv = CsvWriter.forExcel(csvOut, ReportRow.COLUMNS);
             SequenceWriter json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writer()
                     .writeValuesAsArray(jsonFile.toFile())) {
            for (TenantScan s : scans) {
                Map<String, io.mfagov.scanner.service.PrincipalUsage> usage = new java.util.HashMap<>();
                s.usage().forEach(u -> usage.put(u.type() + ":" + u.principalId().toLowerCase(java.util.Locale.ROOT), u));
                for (Detection d : s.detections()) {
                    ReportRow row = ReportRow.of(s.tenantId(), names.getOrDefault(s.tenantId(), ""), d, usage.get(
                            d.principal().type() + ":" + d.principal().id().toLowerCase(java.util.Locale.ROOT)));
                    csv.row(row.cells());
                    json.write(row);
                    rows++;
                }
            }
        }
        return rows;
    }
}
