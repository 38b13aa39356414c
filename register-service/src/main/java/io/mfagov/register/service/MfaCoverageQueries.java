package io.mfagov.register.service;

import io.mfagov.register.api.CoverageView;
import io.mfagov.register.entity.Scan;
import io.mfagov.register.entity.ScanCoverage;
import io.mfagov.register.entity.UncoveredUserEntry;
import io.mfagov.support.csv.CsvWriter;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import org.hibernate.jpa.HibernateHints;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Reads of the tenants' MFA coverage: the latest of one tenant (with its uncovered users), the latest of every tenant
 * (filtered, a page at a time by tenant id) and the two CSV exports. "Latest" is the coverage with the latest
 * {@code observed_at} (the scanner's clock), so a late or replayed older scan never hides a newer one; PostgreSQL's
 * {@code distinct on} picks it per tenant.
 */
@ApplicationScoped
public class MfaCoverageQueries {

    /** The columns of the coverage CSV: the same as the scanner CLI's CA_Coverage CSV. */
    public static final List<String> COVERAGE_CSV_COLUMNS = List.of("TenantId", "TenantName", "ScanStatus",
            "SecurityDefaultsEnabled", "EnabledMfaPolicies", "ReportOnlyMfaPolicies", "AllUsersCovered", "UncoveredUsers",
            "GraphRequests");
    /** The columns of the uncovered-users CSV. */
    public static final List<String> UNCOVERED_USERS_CSV_COLUMNS = List.of("TenantId", "TenantName", "UserId", "UPN",
            "DisplayName", "Reason", "Privileged");

    /** Rows fetched from the database cursor at a time while an export streams. */
    static final int EXPORT_FETCH_SIZE = 500;

    private static final String LATEST_PER_TENANT = "(select distinct on (tenant_id) * from coverage"
            + " order by tenant_id, observed_at desc, received_at desc)";
    private static final String SELECT = "select l.tenant_id, t.display_name, l.scan_id, s.status, s.graph_request_count,"
            + " s.notes, l.security_defaults_enabled, l.enabled_mfa_policies, l.report_only_mfa_policies,"
            + " l.all_users_covered, l.enabled_users, l.uncovered_user_count, l.truncated, l.findings, l.observed_at"
            + " from %s l left join tenant t on t.tenant_id = l.tenant_id left join scan s on s.scan_id = l.scan_id";

    private final EntityManager em;

    public MfaCoverageQueries(EntityManager em) {
        this.em = em;
    }

    /**
     * Which tenants' latest coverage to list: {@code allUsersCovered} true or false (undecided coverage matches
     * neither), {@code finding} present. Null: any.
     */
    public record Filter(Boolean allUsersCovered, String finding) {
    }

    /** A page of the latest coverage of every tenant, by tenant id, and the cursor of the next page (null on the last). */
    public record PageResult(List<CoverageView> items, String nextCursor) {
    }

    /** The tenant's latest coverage with its uncovered users; 404 problem+json when no scan of it sent any. */
    @Transactional
    public CoverageView latest(String tenantId) {
        String tenant = Check.guid("tenantId", tenantId);
        List<?> rows = em.createNativeQuery(String.format(SELECT, "(select * from coverage where tenant_id = :tenant"
                        + " order by observed_at desc, received_at desc limit 1)"))
                .setParameter("tenant", tenant).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("coverage of tenant", tenant);
        }
        Object[] row = (Object[]) rows.get(0);
        List<CoverageView.UncoveredUserView> users = em.createQuery("from UncoveredUserEntry u where u.scanId = :s",
                        UncoveredUserEntry.class)
                .setParameter("s", uuid(row[2])).getResultList().stream()
                .sorted(Comparator.comparing((UncoveredUserEntry u) -> !Boolean.TRUE.equals(u.privileged))
                        .thenComparing(u -> u.userPrincipalName == null ? "" : u.userPrincipalName)
                        .thenComparing(u -> u.userId))
                .map(u -> new CoverageView.UncoveredUserView(u.userId, u.userPrincipalName, u.displayName, u.userType,
                        u.reason, u.privileged))
                .toList();
        return view(row, users);
    }

    /** The latest coverage of every tenant matching {@code f}, by tenant id, {@code limit} at a time. */
    @Transactional
    public PageResult list(Filter f, String cursor, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder(String.format(SELECT, LATEST_PER_TENANT)).append(" where 1 = 1");
        where(f, sql, params);
        if (cursor != null && !cursor.isBlank()) {
            sql.append(" and l.tenant_id > :after");
            params.put("after", decodeCursor(cursor));
        }
        sql.append(" order by l.tenant_id");
        Query query = em.createNativeQuery(sql.toString()).setMaxResults(limit + 1);
        params.forEach(query::setParameter);
        List<CoverageView> items = new ArrayList<>();
        for (Object row : query.getResultList()) {
            items.add(view((Object[]) row, null));
        }
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = encodeCursor(items.get(limit - 1).tenantId());
        }
        return new PageResult(List.copyOf(items), next);
    }

    /**
     * Writes the latest coverage of every tenant matching {@code f} as CSV for Excel (UTF-8 BOM, formulas neutralised)
     * onto {@code out}, row by row from a database cursor, with {@link #COVERAGE_CSV_COLUMNS}.
     */
    @Transactional
    public void writeCoverageCsv(Filter f, OutputStream out) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder(String.format(SELECT, LATEST_PER_TENANT)).append(" where 1 = 1");
        where(f, sql, params);
        sql.append(" order by l.tenant_id");
        Query query = em.createNativeQuery(sql.toString()).setHint(HibernateHints.HINT_FETCH_SIZE, EXPORT_FETCH_SIZE);
        params.forEach(query::setParameter);
        CsvWriter csv = CsvWriter.forExcel(out, COVERAGE_CSV_COLUMNS);
        try (Stream<?> rows = query.getResultStream()) {
            Iterator<?> it = rows.iterator();
            while (it.hasNext()) {
                CoverageView c = view((Object[]) it.next(), null);
                csv.row(c.tenantId(), c.tenantName(), c.scanStatus(), text(c.securityDefaultsEnabled()),
                        Integer.toString(c.enabledMfaPolicies()), Integer.toString(c.reportOnlyMfaPolicies()),
                        text(c.allUsersCovered()), Integer.toString(c.uncoveredUserCount()), text(c.graphRequestCount()));
            }
        }
        csv.flush();
    }

    /**
     * Writes the uncovered users of the latest coverage of every tenant (or of {@code tenantId}, already checked) as CSV
     * for Excel, with {@link #UNCOVERED_USERS_CSV_COLUMNS}: by tenant, privileged users first.
     */
    @Transactional
    public void writeUncoveredUsersCsv(String tenantId, OutputStream out) throws IOException {
        Query query = em.createNativeQuery("select l.tenant_id, t.display_name, u.user_id, u.user_principal_name,"
                        + " u.display_name, u.reason, u.privileged from (select distinct on (tenant_id) scan_id, tenant_id"
                        + " from coverage" + (tenantId == null ? "" : " where tenant_id = :tenant")
                        + " order by tenant_id, observed_at desc, received_at desc) l"
                        + " join uncovered_user u on u.scan_id = l.scan_id left join tenant t on t.tenant_id = l.tenant_id"
                        + " order by l.tenant_id, u.privileged desc nulls last, u.user_principal_name, u.user_id")
                .setHint(HibernateHints.HINT_FETCH_SIZE, EXPORT_FETCH_SIZE);
        if (tenantId != null) {
            query.setParameter("tenant", tenantId);
        }
        CsvWriter csv = CsvWriter.forExcel(out, UNCOVERED_USERS_CSV_COLUMNS);
        try (Stream<?> rows = query.getResultStream()) {
            Iterator<?> it = rows.iterator();
            while (it.hasNext()) {
                Object[] r = (Object[]) it.next();
                csv.row(text(r[0]), text(r[1]), text(r[2]), text(r[3]), text(r[4]), text(r[5]), text(r[6]));
            }
        }
        csv.flush();
    }

    private static void where(Filter f, StringBuilder sql, Map<String, Object> params) {
        if (f.allUsersCovered() != null) {
            sql.append(" and l.all_users_covered = :covered");
            params.put("covered", f.allUsersCovered());
        }
        if (f.finding() != null) {
            sql.append(" and (',' || l.findings || ',') like :finding");
            params.put("finding", "%," + f.finding() + ",%");
        }
    }

    private static CoverageView view(Object[] r, List<CoverageView.UncoveredUserView> users) {
        return new CoverageView((String) r[0], (String) r[1], uuid(r[2]), (String) r[3], integer(r[4]),
                Scan.notesOf((String) r[5]), (Boolean) r[6], integer(r[7]), integer(r[8]), (Boolean) r[9],
                integer(r[10]), integer(r[11]), Boolean.TRUE.equals(r[12]), ScanCoverage.findingsOf((String) r[13]),
                instant(r[14]), users);
    }

    private static UUID uuid(Object v) {
        return v == null ? null : v instanceof UUID u ? u : UUID.fromString(v.toString());
    }

    private static Integer integer(Object v) {
        return v == null ? null : ((Number) v).intValue();
    }

    private static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof java.util.Date d) {
            return d.toInstant();
        }
        throw new IllegalStateException("not an instant: " + v.getClass());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String encodeCursor(String tenantId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("coverage|" + tenantId).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!raw.startsWith("coverage|")) {
                throw new IllegalArgumentException();
            }
            return raw.substring("coverage|".length());
        } catch (RuntimeException e) {
            throw ProblemException.invalid("cursor", "cursor is not one this API returned for coverage");
        }
    }
}
