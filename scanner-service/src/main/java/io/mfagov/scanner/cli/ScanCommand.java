package io.mfagov.scanner.cli;

import io.mfagov.support.ids.Ids;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.service.Detection;
import io.mfagov.scanner.service.ParallelScanner;
import io.mfagov.scanner.service.TenantScan;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code scan --tenants id,id | --tenants-file F [--out DIR]}: the guide's script done right. Writes
 * {@code CA_Exclusions_Multi_<yyyy-MM-dd_HHmm>.csv} and {@code .json} with one row per (tenant, policy, principal,
 * path). Exit 0 when every tenant completed, 2 when any failed or was partial, 64 for bad arguments.
 */
@ApplicationScoped
public class ScanCommand {

    public static final int OK = 0;
    public static final int INCOMPLETE = 2;
    public static final int USAGE = 64;

    static final String USAGE_TEXT = """
            usage: scan (--tenants <id,id,...> | --tenants-file <file>) [--out <dir>]
              --tenants       tenant ids (GUIDs), comma-separated
              --tenants-file  one tenant id per line, or CSV with a TenantId,DisplayName header
              --out           directory for CA_Exclusions_Multi_<yyyy-MM-dd_HHmm>.csv and .json (default: .)
            Graph access: mfagov.graph.* (env MFAGOV_GRAPH_CLIENT_ID, MFAGOV_GRAPH_CLIENT_SECRET, ...).
            Exit codes: 0 all tenants complete, 2 some tenant failed or partial, 64 bad arguments.""";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HHmm");

    private final ParallelScanner scanner;

    public ScanCommand(ParallelScanner scanner) {
        this.scanner = scanner;
    }

    public int run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<String> tenants = new ArrayList<>();
        Path outDir = Path.of(".");
        boolean given = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--tenants" -> {
                        given = true;
                        for (String t : value(args, ++i, a).split(",")) {
                            if (!t.isBlank()) {
                                tenants.add(t.trim());
                            }
                        }
                    }
                    case "--tenants-file" -> {
                        given = true;
                        tenants.addAll(readTenantsFile(Path.of(value(args, ++i, a))));
                    }
                    case "--out" -> outDir = Path.of(value(args, ++i, a));
                    case "-h", "--help" -> {
                        out.println(USAGE_TEXT);
                        return OK;
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            if (!given || tenants.isEmpty()) {
                throw new IllegalArgumentException("no tenants: give --tenants or --tenants-file");
            }
            List<String> bad = tenants.stream().filter(t -> !Ids.isTenantId(t)).toList();
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException("not a tenant id (GUID): " + String.join(", ", bad));
            }
        } catch (IllegalArgumentException e) {
            err.println("scan: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(tenants.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList()));
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            err.println("scan: cannot create output directory " + outDir + ": " + e.getMessage());
            return USAGE;
        }

        out.printf("Scanning %d tenant(s)...%n", unique.size());
        AtomicInteger done = new AtomicInteger();
        List<TenantScan> scans = scanner.scanAll(unique, s -> out.printf("[%d/%d] %s %s: %d exclusion(s), %d Graph request(s)%n",
                done.incrementAndGet(), unique.size(), s.tenantId(), s.status(), s.detections().size(),
                s.graphRequestCount()));

        List<ReportRow> rows = new ArrayList<>();
        for (TenantScan s : scans) {
            for (Detection d : s.detections()) {
                rows.add(ReportRow.of(s.tenantId(), d));
            }
        }
        String base = "CA_Exclusions_Multi_" + LocalDateTime.now().format(STAMP);
        Path csv = outDir.resolve(base + ".csv");
        Path json = outDir.resolve(base + ".json");
        try {
            writeCsv(csv, rows);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), rows);
        } catch (IOException e) {
            err.println("scan: cannot write the report: " + e.getMessage());
            return INCOMPLETE;
        }
        out.printf("Wrote %d row(s) to %s and %s%n", rows.size(), csv, json);

        List<TenantScan> incomplete = scans.stream().filter(s -> s.status() != ScanStatus.COMPLETE).toList();
        for (TenantScan s : incomplete) {
            err.printf("tenant %s %s: %s%n", s.tenantId(), s.status(), s.error());
        }
        return incomplete.isEmpty() ? OK : INCOMPLETE;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static List<String> readTenantsFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tenants file " + file + ": " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.replace("\uFEFF", "").trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String first = line.split(",", 2)[0].trim();
            if (first.length() > 1 && first.startsWith("\"") && first.endsWith("\"")) {
                first = first.substring(1, first.length() - 1);
            }
            if (first.equalsIgnoreCase("TenantId")) {
                continue;
            }
            out.add(first);
        }
        return out;
    }

    static void writeCsv(Path file, List<ReportRow> rows) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", ReportRow.COLUMNS));
            w.write("\r\n");
            for (ReportRow r : rows) {
                List<String> cells = r.cells();
                for (int i = 0; i < cells.size(); i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    w.write(cell(cells.get(i)));
                }
                w.write("\r\n");
            }
        }
    }

    /** RFC 4180 quoting. */
    static String cell(String v) {
        if (v == null) {
            return "";
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
