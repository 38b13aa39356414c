package io.mfagov.register.service;

import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.entity.Tenant;
import io.mfagov.support.csv.CsvWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import org.hibernate.jpa.HibernateHints;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The CSV export (the guide's columns first) and the per-tenant QBR summary. */
@ApplicationScoped
public class ReportService {

    /**
     * The guide's columns (TenantName added after TenantId), then the register's, then the whole-policy facts (added
     * at the end, so tools reading columns by position keep working).
     */
    public static final List<String> CSV_COLUMNS = List.of("TenantId", "TenantName", "PolicyName", "PolicyId",
            "ExcludedUserId", "ExcludedUPN", "ExcludedDisplayName", "Status", "Category", "ApprovedBy", "ExpiresAt",
            "NextReviewAt", "ReviewerNotes", "FirstSeen", "LastSeen", "InScope", "PolicyTarget", "Eligible", "Shadowed",
            "ClosedBy", "Details", "Flags");

    /** Rows fetched from the database cursor at a time while the export streams. */
    static final int EXPORT_FETCH_SIZE = 500;

    private final EntityManager em;

    public ReportService(EntityManager em) {
        this.em = em;
    }

    /**
     * Writes every exclusion matching {@code conditions} as CSV for Excel (UTF-8 BOM, formulas neutralised) onto
     * {@code out}, row by row from a database cursor: no list of rows and no file-sized string is held. Scalar
     * columns only, so nothing piles up in the persistence context either.
     */
    @Transactional
    public void writeExclusionsCsv(ExclusionQueries.Conditions conditions, OutputStream out) throws IOException {
        TypedQuery<Object[]> query = em.createQuery("select e.tenantId, t.displayName, e.policyName, e.policyId,"
                        + " e.principalId, e.principalUpn, e.principalDisplayName, e.status, e.category, x.approvedBy,"
                        + " e.expiresAt, x.nextReviewAt, x.reviewerNotes, e.firstSeenAt, e.lastSeenAt, e.inScope,"
                        + " e.policyTarget, e.eligible, e.shadowed, e.closedById, e.closedByName, e.details, e.flags"
                        + " from Exclusion e left join Tenant t on t.tenantId = e.tenantId"
                        + " left join ExceptionRecord x on x.id = e.exceptionId"
                        + " where 1 = 1" + conditions.jpql()
                        + " order by e.tenantId, e.policyName, e.principalUpn, e.principalId, e.id", Object[].class)
                .setHint(HibernateHints.HINT_FETCH_SIZE, EXPORT_FETCH_SIZE)
                .setHint(HibernateHints.HINT_READ_ONLY, true);
        conditions.params().forEach(query::setParameter);
        CsvWriter csv = CsvWriter.forExcel(out, CSV_COLUMNS);
        try (Stream<Object[]> rows = query.getResultStream()) {
            Iterator<Object[]> it = rows.iterator();
            while (it.hasNext()) {
                Object[] r = it.next();
                List<String> cells = new ArrayList<>(CSV_COLUMNS.size());
                Arrays.stream(r, 0, 19).map(ReportService::text).forEach(cells::add);
                cells.add(ExclusionFacts.closedBy((String) r[19], (String) r[20]));
                cells.add(ExclusionFacts.details(Exclusion.detailsOf((String) r[21])));
                cells.add(ExclusionFacts.flags(Exclusion.flagsOf((String) r[22])));
                csv.row(cells);
            }
        }
        csv.flush();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    public record Summary(String tenantId, String displayName, Instant from, Instant to,
            Map<String, Long> exclusionsByStatus, Map<String, Long> exclusionsByCategory,
            Map<String, Long> exceptionsByStatus, Map<String, Long> changes, List<OldException> oldestExceptions,
            List<Risk> topRisks) {
    }

    public record OldException(UUID id, String category, String principals, Instant approvedAt, Instant expiresAt,
            String approvedBy) {
    }

    public record Risk(UUID exclusionId, String status, String principal, String principalType, String policyName,
            String path, Instant firstSeenAt, String reason) {
    }

    @Transactional
    public Summary summary(Tenant tenant, Instant from, Instant to) {
        String t = tenant.tenantId;
        Map<String, Long> byStatus = counts("select e.status, count(e) from Exclusion e where e.tenantId = :t group by e.status", t);
        Map<String, Long> byCategory = counts("select coalesce(e.category, 'NONE'), count(e) from Exclusion e"
                + " where e.tenantId = :t and e.removedAt is null group by coalesce(e.category, 'NONE')", t);
        Map<String, Long> exceptions = counts("select x.status, count(x) from ExceptionRecord x where x.tenantId = :t group by x.status", t);
        Map<String, Long> changes = new LinkedHashMap<>();
        em.createQuery("select a.action, count(a) from AuditEvent a where a.tenantId = :t and a.occurredAt >= :from"
                        + " and a.occurredAt < :to group by a.action order by a.action", Object[].class)
                .setParameter("t", t).setParameter("from", from).setParameter("to", to).getResultList()
                .forEach(r -> changes.put((String) r[0], (Long) r[1]));
        List<OldException> oldest = em.createQuery("select distinct x from ExceptionRecord x where x.tenantId = :t"
                        + " and x.status = 'APPROVED' order by x.approvedAt", ExceptionRecord.class)
                .setParameter("t", t).setMaxResults(5).getResultList().stream()
                .map(x -> new OldException(x.id, x.category, x.principals.stream()
                        .map(p -> p.displayName == null ? p.principalId : p.displayName).collect(Collectors.joining(", ")),
                        x.approvedAt, x.expiresAt, x.approvedBy))
                .toList();
        List<Exclusion> open = em.createQuery("from Exclusion e where e.tenantId = :t and e.status in ('UNAPPROVED', 'EXPIRED')",
                Exclusion.class).setParameter("t", t).getResultList();
        List<Risk> risks = new ArrayList<>(open.stream()
                .sorted(Comparator.comparingInt(ReportService::riskRank).thenComparing(e -> e.firstSeenAt))
                .limit(10)
                .map(e -> new Risk(e.id, e.status, e.principalUpn != null ? e.principalUpn
                        : e.principalDisplayName != null ? e.principalDisplayName : e.principalId, e.principalType,
                        e.policyName, e.viaPath, e.firstSeenAt, riskReason(e)))
                .toList());
        return new Summary(t, tenant.displayName, from, to, byStatus, byCategory, exceptions, changes, oldest, risks);
    }

    /** Broad exclusions (roles, groups, guest rules, locations) first, then unresolved objects, then users. */
    private static int riskRank(Exclusion e) {
        return switch (e.principalType) {
            case "ROLE", "GUEST_RULE", "LOCATION" -> 0;
            case "GROUP" -> 1;
            default -> e.resolved ? 3 : 2;
        };
    }

    private static String riskReason(Exclusion e) {
        String what = "EXPIRED".equals(e.status) ? "approval expired" : "no approved exception";
        if (!e.resolved) {
            return what + "; the excluded object no longer resolves (deleted?)";
        }
        return what + "; excluded via " + e.viaPath;
    }

    private Map<String, Long> counts(String jpql, String tenantId) {
        Map<String, Long> out = new HashMap<>();
        em.createQuery(jpql, Object[].class).setParameter("t", tenantId).getResultList()
                .forEach(r -> out.put((String) r[0], (Long) r[1]));
        return new java.util.TreeMap<>(out);
    }

}
