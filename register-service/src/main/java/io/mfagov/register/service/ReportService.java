package io.mfagov.register.service;

import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.entity.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The CSV export (the guide's columns first) and the per-tenant QBR summary. */
@ApplicationScoped
public class ReportService {

    /** The guide's columns, then the register's. */
    public static final List<String> CSV_COLUMNS = List.of("TenantId", "PolicyName", "PolicyId", "ExcludedUserId",
            "ExcludedUPN", "ExcludedDisplayName", "Status", "Category", "ApprovedBy", "ExpiresAt", "NextReviewAt",
            "ReviewerNotes", "FirstSeen", "LastSeen");

    private final EntityManager em;
    private final ExclusionQueries queries;

    public ReportService(EntityManager em, ExclusionQueries queries) {
        this.em = em;
        this.queries = queries;
    }

    @Transactional
    public String exclusionsCsv(ExclusionQueries.Filter filter) {
        List<Exclusion> rows = queries.all(filter);
        Set<UUID> ids = rows.stream().map(e -> e.exceptionId).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        Map<UUID, ExceptionRecord> exceptions = ids.isEmpty() ? Map.of()
                : em.createQuery("select distinct x from ExceptionRecord x where x.id in :ids", ExceptionRecord.class)
                .setParameter("ids", ids).getResultStream().collect(Collectors.toMap(x -> x.id, Function.identity()));
        StringBuilder out = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (Exclusion e : rows) {
            ExceptionRecord x = e.exceptionId == null ? null : exceptions.get(e.exceptionId);
            List<String> cells = List.of(e.tenantId, nvl(e.policyName), e.policyId, e.principalId, nvl(e.principalUpn),
                    nvl(e.principalDisplayName), e.status, nvl(e.category), x == null ? "" : nvl(x.approvedBy),
                    instant(e.expiresAt), x == null ? "" : instant(x.nextReviewAt), x == null ? "" : nvl(x.reviewerNotes),
                    instant(e.firstSeenAt), instant(e.lastSeenAt));
            out.append(cells.stream().map(ReportService::cell).collect(Collectors.joining(","))).append("\r\n");
        }
        return out.toString();
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

    private static String nvl(String s) {
        return s == null ? "" : s;
    }

    private static String instant(Instant i) {
        return i == null ? "" : i.toString();
    }

    /** RFC 4180 quoting, and a leading quote on values a spreadsheet would run as a formula. */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

}
