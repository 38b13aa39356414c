package io.mfagov.register.repository;

import io.mfagov.register.entity.JsonColumns;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Plain reads of the stored gap signals (V6__gap_signals.sql) in the caller's transaction: which scan is a tenant's
 * latest with gap signals, and the evidence of use of its excluded principals in it. "Latest" is the scan with the
 * latest {@code observed_at} (scanner clock, then arrival) among those that sent posture, gaps or usage.
 */
public final class GapSignalReads {

    /**
     * The latest scan with gap signals of each tenant (or of {@code :tenant} when it is not null), as a subquery with
     * columns {@code tenant_id, scan_id, observed_at}.
     */
    public static final String LATEST_SCAN_PER_TENANT = "(select distinct on (tenant_id) tenant_id, scan_id, observed_at"
            + " from (select tenant_id, scan_id, observed_at, received_at from posture"
            + " union all select tenant_id, scan_id, observed_at, received_at from mfa_gap"
            + " union all select tenant_id, scan_id, observed_at, received_at from exclusion_usage) s"
            + " where cast(:tenant as varchar) is null or tenant_id = cast(:tenant as varchar)"
            + " order by tenant_id, observed_at desc, received_at desc)";

    private GapSignalReads() {
    }

    /** A scan and when it observed. */
    public record ScanRef(UUID scanId, Instant observedAt) {
    }

    /** One excluded principal's evidence of use in one scan's window (a row of {@code exclusion_usage}). */
    public record Usage(UUID scanId, String principalType, String principalId, int windowDays, Instant lastSignIn,
            Instant lastSingleFactorSignIn, int signIns, int singleFactorSignIns, Instant observedAt) {
    }

    /** A scan's posture row (TenantPostureObserved). */
    public record Posture(UUID scanId, Integer signInWindowDays, Instant windowStart, Instant windowEnd,
            Integer notRegistered, Integer notCapable, Integer singleFactorUsers, Integer perUserMfaOnly,
            Long signInsRead, Long singleFactorSignIns, String missingSignalsJson, Instant observedAt) {
    }

    /** The tenant's latest scan with gap signals (tenant id in lower case). */
    public static Optional<ScanRef> latestScan(EntityManager em, String tenantId) {
        List<?> rows = em.createNativeQuery("select scan_id, observed_at from " + LATEST_SCAN_PER_TENANT + " l")
                .setParameter("tenant", tenantId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new ScanRef(uuid(r[0]), instant(r[1])));
    }

    /** The usage rows of one scan, by {@link #key(String, String)}. */
    public static Map<String, Usage> usage(EntityManager em, String tenantId, UUID scanId) {
        Map<String, Usage> out = new HashMap<>();
        for (Object o : em.createNativeQuery("select principal_type, principal_id, window_days, last_sign_in,"
                        + " last_single_factor_sign_in, sign_ins, single_factor_sign_ins, observed_at from exclusion_usage"
                        + " where tenant_id = :t and scan_id = :s")
                .setParameter("t", tenantId).setParameter("s", scanId).getResultList()) {
            Object[] r = (Object[]) o;
            Usage u = new Usage(scanId, (String) r[0], (String) r[1], ((Number) r[2]).intValue(), instant(r[3]),
                    instant(r[4]), ((Number) r[5]).intValue(), ((Number) r[6]).intValue(), instant(r[7]));
            out.put(key(u.principalType(), u.principalId()), u);
        }
        return out;
    }

    /**
     * The evidence of use of the tenant's excluded principals from its latest scan with gap signals, by
     * {@link #key(String, String)}: empty when that scan read no sign-ins (or there is none).
     */
    public static Map<String, Usage> latestUsage(EntityManager em, String tenantId) {
        return latestScan(em, tenantId).map(s -> usage(em, tenantId, s.scanId())).orElse(Map.of());
    }

    /** A scan's posture, if it sent one. */
    public static Optional<Posture> posture(EntityManager em, UUID scanId) {
        List<?> rows = em.createNativeQuery("select scan_id, sign_in_window_days, window_start, window_end, not_registered,"
                        + " not_capable, single_factor_users, per_user_mfa_only, sign_ins_read, single_factor_sign_ins,"
                        + " missing_signals, observed_at from posture where scan_id = :s")
                .setParameter("s", scanId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Posture(uuid(r[0]), integer(r[1]), instant(r[2]), instant(r[3]), integer(r[4]),
                integer(r[5]), integer(r[6]), integer(r[7]), r[8] == null ? null : ((Number) r[8]).longValue(),
                r[9] == null ? null : ((Number) r[9]).longValue(), (String) r[10], instant(r[11])));
    }

    /** The key of a principal in {@link #usage}: its type and id, the id in lower case. */
    public static String key(String principalType, String principalId) {
        return principalType + ":" + principalId.toLowerCase(Locale.ROOT);
    }

    /** The strings of a JSON array column. */
    public static List<String> strings(Object json) {
        return JsonColumns.strings((String) json);
    }

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }

    private static UUID uuid(Object v) {
        return v == null ? null : v instanceof UUID u ? u : UUID.fromString(v.toString());
    }

    private static Integer integer(Object v) {
        return v == null ? null : ((Number) v).intValue();
    }
}
