package io.mfagov.register.service;

import io.mfagov.model.EventCodec;
import io.mfagov.model.events.GapKind;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.repository.GapSignalReads;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The CSV export (the guide's columns first) and the per-tenant QBR summary. */
@ApplicationScoped
public class ReportService {

    /**
     * The guide's columns (TenantName added after TenantId), then the register's, then the whole-policy facts, then
     * the evidence of use and the risk score (each added at the end, so tools reading columns by position keep working).
     */
    public static final List<String> CSV_COLUMNS = List.of("TenantId", "TenantName", "PolicyName", "PolicyId",
            "ExcludedUserId", "ExcludedUPN", "ExcludedDisplayName", "Status", "Category", "ApprovedBy", "ExpiresAt",
            "NextReviewAt", "ReviewerNotes", "FirstSeen", "LastSeen", "InScope", "PolicyTarget", "Eligible", "Shadowed",
            "ClosedBy", "Details", "Flags", "LastSignIn", "SignIns", "SingleFactorSignIns", "RiskScore");

    /** Rows fetched from the database cursor at a time while the export streams. */
    static final int EXPORT_FETCH_SIZE = 500;

    private final EntityManager em;
    private final ExclusionRisk risk;
    private final SharedMailboxes mailboxes;

    public ReportService(EntityManager em, ExclusionRisk risk, SharedMailboxes mailboxes) {
        this.em = em;
        this.risk = risk;
        this.mailboxes = mailboxes;
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
                        + " e.policyTarget, e.eligible, e.shadowed, e.closedById, e.closedByName, e.details, e.flags,"
                        + " e.principalType, e.principalUserType, e.accountEnabled, e.viaKind, e.removedAt"
                        + " from Exclusion e left join Tenant t on t.tenantId = e.tenantId"
                        + " left join ExceptionRecord x on x.id = e.exceptionId"
                        + " where 1 = 1" + conditions.jpql()
                        + " order by e.tenantId, e.policyName, e.principalUpn, e.principalId, e.id", Object[].class)
                .setHint(HibernateHints.HINT_FETCH_SIZE, EXPORT_FETCH_SIZE)
                .setHint(HibernateHints.HINT_READ_ONLY, true);
        conditions.params().forEach(query::setParameter);
        CsvWriter csv = CsvWriter.forExcel(out, CSV_COLUMNS);
        Instant now = Instant.now();
        String factsOf = null; // rows come by tenant: one tenant's facts at a time
        ExclusionRisk.Facts facts = ExclusionRisk.Facts.NONE;
        try (Stream<Object[]> rows = query.getResultStream()) {
            Iterator<Object[]> it = rows.iterator();
            while (it.hasNext()) {
                Object[] r = it.next();
                String tenant = (String) r[0];
                if (!tenant.equals(factsOf)) {
                    facts = risk.facts(tenant);
                    factsOf = tenant;
                }
                ExclusionRisk.Assessment a = ExclusionRisk.assess(facts, new ExclusionRisk.Subject((String) r[23],
                        (String) r[4], (String) r[24], (Boolean) r[25], (String) r[26], (Boolean) r[15],
                        (String) r[19], (Instant) r[27], (String) r[7], (Instant) r[10], (Instant) r[13]), now);
                List<String> cells = new ArrayList<>(CSV_COLUMNS.size());
                Arrays.stream(r, 0, 19).map(ReportService::text).forEach(cells::add);
                cells.add(ExclusionFacts.closedBy((String) r[19], (String) r[20]));
                cells.add(ExclusionFacts.details(Exclusion.detailsOf((String) r[21])));
                cells.add(ExclusionFacts.flags(Exclusion.flagsOf((String) r[22])));
                GapSignalReads.Usage u = a.usage();
                cells.add(u == null ? null : text(u.lastSignIn()));
                cells.add(u == null ? null : Integer.toString(u.signIns()));
                cells.add(u == null ? null : Integer.toString(u.singleFactorSignIns()));
                cells.add(Integer.toString(a.risk().score()));
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
            List<Risk> topRisks,
            @Schema(description = "Highest risk score first (docs/risk-score.md), at most 10, score above 0")
            List<RiskyExclusion> topRiskyExclusions,
            @Schema(description = "The MFA gaps of the latest scan with gap signals (null: none)") Gaps gaps,
            @Schema(description = "Gap counts by kind of the latest scan with gap signals of each month (UTC) of the"
                    + " period, oldest first; shared mailboxes left out") List<MonthGaps> gapTrend) {
    }

    public record RiskyExclusion(UUID exclusionId, String status, String principal, String principalType,
            String policyName, String path, int riskScore, List<RiskScore.Points> riskFactors) {
    }

    /**
     * The latest scan's gaps: counts by kind without the listed shared mailboxes (theirs apart), users with
     * single-factor sign-ins, PER_USER_MFA_ONLY users, the sign-in window read and each signal it could not read.
     */
    public record Gaps(UUID scanId, Instant observedAt, Integer signInWindowDays, List<Missing> missingSignals,
            Map<String, Long> countsByKind, Map<String, Long> sharedMailboxCountsByKind, long singleFactorSignInUsers,
            long perUserMfaOnly) {
    }

    /** A signal the scan could not read, and why. */
    public record Missing(String signal, String reason) {
    }

    public record MonthGaps(String month, UUID scanId, Instant observedAt, Map<String, Long> countsByKind) {
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
        Instant now = Instant.now();
        List<Exclusion> present = em.createQuery("from Exclusion e where e.tenantId = :t and e.removedAt is null",
                Exclusion.class).setParameter("t", t).getResultList();
        ExclusionRisk.Facts facts = risk.facts(t);
        List<RiskyExclusion> risky = present.stream()
                .map(e -> Map.entry(e, ExclusionRisk.assess(facts, e, now).risk()))
                .filter(x -> x.getValue().score() > 0)
                .sorted(Comparator.comparingInt((Map.Entry<Exclusion, RiskScore.Result> x) -> x.getValue().score())
                        .reversed().thenComparing(x -> x.getKey().id.toString()))
                .limit(10)
                .map(x -> new RiskyExclusion(x.getKey().id, x.getKey().status, name(x.getKey()),
                        x.getKey().principalType, x.getKey().policyName, x.getKey().viaPath, x.getValue().score(),
                        x.getValue().factors()))
                .toList();
        SharedMailboxes.Matcher listed = mailboxes.matcher(t);
        return new Summary(t, tenant.displayName, from, to, byStatus, byCategory, exceptions, changes, oldest, risks,
                risky, gaps(t, listed), trend(t, from, to, listed));
    }

    private Gaps gaps(String tenant, SharedMailboxes.Matcher listed) {
        var latest = GapSignalReads.latestScan(em, tenant);
        if (latest.isEmpty()) {
            return null;
        }
        UUID scan = latest.get().scanId();
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Long> apart = new TreeMap<>();
        java.util.Set<String> singleFactor = new java.util.HashSet<>();
        long perUser = 0;
        for (Object[] g : gapRows(List.of(scan))) {
            String kind = (String) g[3];
            if (listed.isListed((String) g[1], (String) g[2])) {
                apart.merge(kind, 1L, Long::sum);
                continue;
            }
            counts.merge(kind, 1L, Long::sum);
            if (GapKind.SINGLE_FACTOR_SIGNINS.name().equals(kind)) {
                singleFactor.add((String) g[1]);
            } else if (GapKind.PER_USER_MFA_ONLY.name().equals(kind)) {
                perUser++;
            }
        }
        var posture = GapSignalReads.posture(em, scan);
        List<Missing> missing = posture.map(p -> missing(p.missingSignalsJson())).orElse(List.of());
        return new Gaps(scan, latest.get().observedAt(), posture.map(GapSignalReads.Posture::signInWindowDays).orElse(null),
                missing, counts, apart, singleFactor.size(), perUser);
    }

    /** The latest scan with gap signals of each UTC month in [from, to), its gap counts by kind (listed left out). */
    private List<MonthGaps> trend(String tenant, Instant from, Instant to, SharedMailboxes.Matcher listed) {
        List<?> months = em.createNativeQuery("select distinct on (m) m, scan_id, observed_at from (select"
                        + " to_char(observed_at at time zone 'UTC', 'YYYY-MM') m, scan_id, observed_at, received_at from"
                        + " (select scan_id, observed_at, received_at from posture where tenant_id = :t"
                        + " union all select scan_id, observed_at, received_at from mfa_gap where tenant_id = :t"
                        + " union all select scan_id, observed_at, received_at from exclusion_usage where tenant_id = :t) s"
                        + " where observed_at >= :from and observed_at < :to) x order by m, observed_at desc, received_at desc")
                .setParameter("t", tenant).setParameter("from", from).setParameter("to", to).getResultList();
        if (months.isEmpty()) {
            return List.of();
        }
        Map<UUID, Map<String, Long>> counts = new HashMap<>();
        List<UUID> scans = months.stream().map(o -> (UUID) ((Object[]) o)[1]).toList();
        for (Object[] g : gapRows(scans)) {
            if (!listed.isListed((String) g[1], (String) g[2])) {
                counts.computeIfAbsent((UUID) g[0], k -> new TreeMap<>()).merge((String) g[3], 1L, Long::sum);
            }
        }
        return months.stream().map(o -> {
            Object[] r = (Object[]) o;
            UUID scan = (UUID) r[1];
            return new MonthGaps((String) r[0], scan, GapSignalReads.instant(r[2]), counts.getOrDefault(scan, Map.of()));
        }).toList();
    }

    /** scan_id, user_id, user_principal_name, kind of the scans' gaps. */
    private List<Object[]> gapRows(List<UUID> scans) {
        List<Object[]> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("select scan_id, user_id, user_principal_name, kind from mfa_gap"
                + " where scan_id in (:s)").setParameter("s", scans).getResultList()) {
            out.add((Object[]) o);
        }
        return out;
    }

    private static List<Missing> missing(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return List.of(EventCodec.get().mapper().readValue(json, Missing[].class));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static String name(Exclusion e) {
        return e.principalUpn != null ? e.principalUpn : e.principalDisplayName != null ? e.principalDisplayName
                : e.principalId;
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
