package io.mfagov.support.csv;

import io.mfagov.support.ids.Ids;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one reader of tenants files, for the scanner's one-shot mode and the local run. Accepts:
 * <ul>
 *   <li>CSV with a header naming a {@code TenantId} column and optionally a {@code DisplayName} or {@code TenantName}
 *       column (any case, any order, other columns ignored), as the guide's script and PowerShell's
 *       {@code Export-Csv -NoTypeInformation -Encoding UTF8} write it: UTF-8 byte order mark, every header and value
 *       double-quoted, CRLF;</li>
 *   <li>a file without header: one tenant id per line, optionally followed by {@code ,name};</li>
 *   <li>blank lines and {@code #} comment lines anywhere (so Windows PowerShell 5.1's {@code #TYPE ...} first line
 *       without {@code -NoTypeInformation} is skipped).</li>
 * </ul>
 * Ids must be GUIDs; they are returned lower-case. A repeated id keeps its first line and is reported in
 * {@link #duplicates()}. A malformed line or a non-GUID id fails with {@link TenantsFileException} naming the line.
 */
public final class TenantsFile {

    /** One tenant of the file: its id (lower-case GUID), its display name ("" when the file has none), its line. */
    public record Tenant(String tenantId, String displayName, int line) {
    }

    /** An id that appears again on a later line (that later line is ignored). */
    public record Duplicate(String tenantId, int firstLine, int line) {
    }


    private final List<Tenant> tenants;
    private final List<Duplicate> duplicates;

    private TenantsFile(List<Tenant> tenants, List<Duplicate> duplicates) {
        this.tenants = List.copyOf(tenants);
        this.duplicates = List.copyOf(duplicates);
    }

    /** Reads {@code file} as UTF-8 (with or without a byte order mark). */
    public static TenantsFile read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString());
        } catch (TenantsFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TenantsFileException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Parses {@code text}; {@code source} names it in error messages. */
    public static TenantsFile parse(String text, String source) {
        try {
            return parse(new StringReader(text), source);
        } catch (IOException e) {
            throw new TenantsFileException(source + ": " + e.getMessage());
        }
    }

    /**
     * The same tenants written as a list, as on a command line or in {@code MFAGOV_TENANTS}: items {@code id} or
     * {@code id=Display Name} (blank items skipped); {@code source} names the list in error messages, and the line of
     * each tenant is its 1-based position in the list.
     */
    public static TenantsFile ofList(List<String> items, String source) {
        Map<String, Tenant> byId = new LinkedHashMap<>();
        List<Duplicate> duplicates = new ArrayList<>();
        int position = 0;
        for (String item : items) {
            position++;
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            String id = (eq < 0 ? s : s.substring(0, eq)).strip();
            if (!Ids.isGuid(id)) {
                throw new TenantsFileException(source + ": not a tenant id (GUID): '" + shorten(id) + "'");
            }
            add(byId, duplicates, id, eq < 0 ? "" : s.substring(eq + 1).strip(), position);
        }
        return new TenantsFile(new ArrayList<>(byId.values()), duplicates);
    }

    private static void add(Map<String, Tenant> byId, List<Duplicate> duplicates, String id, String name, int line) {
        String key = id.toLowerCase(Locale.ROOT);
        Tenant seen = byId.get(key);
        if (seen != null) {
            duplicates.add(new Duplicate(key, seen.line(), line));
        } else {
            byId.put(key, new Tenant(key, name, line));
        }
    }

    private static TenantsFile parse(Reader in, String source) throws IOException {
        CsvRecords records = new CsvRecords(in);
        Map<String, Tenant> byId = new LinkedHashMap<>();
        List<Duplicate> duplicates = new ArrayList<>();
        int idColumn = -1;
        int nameColumn = -1;
        boolean first = true;
        while (true) {
            CsvRecords.Record r;
            try {
                r = records.next();
            } catch (CsvRecords.MalformedCsvException e) {
                throw new TenantsFileException(source + " line " + e.line + ": " + e.getMessage());
            }
            if (r == null) {
                break;
            }
            if (r.comment() || r.blank()) {
                continue;
            }
            List<String> f = r.fields();
            if (first) {
                first = false;
                int headerId = indexOf(f, "tenantid");
                if (headerId >= 0) {
                    idColumn = headerId;
                    nameColumn = indexOf(f, "displayname");
                    if (nameColumn < 0) {
                        nameColumn = indexOf(f, "tenantname");
                    }
                    continue;
                }
                if (!Ids.isGuid(f.get(0))) {
                    throw new TenantsFileException(source + " line " + r.line() + ": expected a header with a TenantId"
                            + " column, or a tenant id (GUID), but found '" + shorten(f.get(0)) + "'");
                }
                idColumn = 0;
                nameColumn = 1;
            }
            if (idColumn >= f.size()) {
                throw new TenantsFileException(source + " line " + r.line() + ": no TenantId value (" + f.size()
                        + " field(s), TenantId is column " + (idColumn + 1) + ")");
            }
            String id = f.get(idColumn).strip();
            if (!Ids.isGuid(id)) {
                throw new TenantsFileException(source + " line " + r.line() + ": not a tenant id (GUID): '"
                        + shorten(id) + "'");
            }
            add(byId, duplicates, id, nameColumn >= 0 && nameColumn < f.size() ? f.get(nameColumn).strip() : "", r.line());
        }
        return new TenantsFile(new ArrayList<>(byId.values()), duplicates);
    }

    private static int indexOf(List<String> header, String lowerCaseName) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).strip().toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                return i;
            }
        }
        return -1;
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** The tenants in file order, each id once. */
    public List<Tenant> tenants() {
        return tenants;
    }

    /** Ids written more than once (later lines ignored): worth a warning, not an error. */
    public List<Duplicate> duplicates() {
        return duplicates;
    }

    /** A tenants file that cannot be used; the message names the file and the line. */
    public static final class TenantsFileException extends IllegalArgumentException {
        public TenantsFileException(String message) {
            super(message);
        }
    }
}
