package io.mfagov.register.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.mfagov.model.EventCodec;
import io.mfagov.model.events.MissingSignal;
import io.mfagov.register.api.UsageView;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The usage verdict of an excluded user, service principal or application, from the register's own history of scans
 * (Graph keeps only 30 days of sign-ins): the latest sign-in seen in any scan's {@code exclusion_usage} rows, and how
 * many days of sign-in history the register holds for the principal — the windows of the tenant's COMPLETE scans that
 * read sign-ins (no {@code signIns} missing signal), back from the latest for as long as they join up without a gap,
 * and not before the first scan that reported the principal's usage (before that nobody looked at its sign-ins).
 * <ul>
 * <li>USED: a sign-in within {@code register.usage.unused-after-days} of the latest window's end;</li>
 * <li>UNUSED: none, and the history covers at least that many days;</li>
 * <li>INSUFFICIENT_HISTORY: none seen, but the history is shorter ("history covers 41 of 90 days") — never a guess.</li>
 * </ul>
 */
@ApplicationScoped
public class ExclusionUsage {

    public enum Verdict { USED, UNUSED, INSUFFICIENT_HISTORY }

    /** The missing-signal names (MissingSignal.signal) that matter here. */
    public static final String SIGN_INS = "signIns";
    public static final String REGISTRATION = "registration";

    /** The principal types whose sign-ins Graph records. */
    static final List<String> SIGN_IN_TYPES = List.of("USER", "SERVICE_PRINCIPAL", "APPLICATION");

    private static final TypeReference<List<MissingSignal>> MISSING = new TypeReference<>() {
    };
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    /** A principal of a tenant. */
    public record PrincipalKey(String type, String id) {
    }

    /** The sign-in window of a COMPLETE scan that read sign-ins; {@code observedAt} is its posture's. */
    public record Window(UUID scanId, Instant start, Instant end, Instant observedAt) {
    }

    /** What the usage rows say of one principal: latest sign-ins seen, and when its usage was first reported. */
    public record Evidence(Instant lastSignIn, Instant lastSingleFactorSignIn, Instant trackedSince) {
    }

    private final EntityManager em;
    private final RegisterConfig config;

    public ExclusionUsage(EntityManager em, RegisterConfig config) {
        this.em = em;
        this.config = config;
    }

    public int unusedAfterDays() {
        return config.usage().unusedAfterDays();
    }

    public static boolean signsIn(String principalType) {
        return SIGN_IN_TYPES.contains(principalType);
    }

    /** The usage of each exclusion of a user, service principal or application (others have none), by exclusion id. */
    @Transactional
    public Map<UUID, UsageView> ofExclusions(Collection<Exclusion> exclusions) {
        Map<String, List<Exclusion>> byTenant = exclusions.stream().filter(e -> signsIn(e.principalType))
                .collect(Collectors.groupingBy(e -> e.tenantId, LinkedHashMap::new, Collectors.toList()));
        Map<UUID, UsageView> out = new HashMap<>();
        byTenant.forEach((tenant, es) -> {
            Map<PrincipalKey, UsageView> usage = current(tenant,
                    es.stream().map(e -> new PrincipalKey(e.principalType, e.principalId)).toList());
            es.forEach(e -> out.put(e.id, usage.get(new PrincipalKey(e.principalType, e.principalId))));
        });
        return out;
    }

    /**
     * The usage of each exception: of every user, service principal or application its exclusions (those it approves
     * or is requested for, not removed) exclude, and overall; by exception id.
     */
    @Transactional
    public Map<UUID, UsageView.OfException> ofExceptions(Collection<ExceptionRecord> exceptions) {
        Map<UUID, UsageView.OfException> out = new HashMap<>();
        if (exceptions.isEmpty()) {
            return out;
        }
        List<Exclusion> exclusions = em.createQuery("from Exclusion e where e.exceptionId in :ids and e.removedAt is null"
                        + " and e.principalType in :types", Exclusion.class)
                .setParameter("ids", exceptions.stream().map(x -> x.id).toList())
                .setParameter("types", SIGN_IN_TYPES).getResultList();
        Map<UUID, Set<PrincipalKey>> principals = new HashMap<>();
        exclusions.forEach(e -> principals.computeIfAbsent(e.exceptionId, k -> new LinkedHashSet<>())
                .add(new PrincipalKey(e.principalType, e.principalId)));
        Map<String, Map<PrincipalKey, UsageView>> byTenant = new HashMap<>();
        exceptions.stream().collect(Collectors.groupingBy(x -> x.tenantId)).forEach((tenant, xs) -> byTenant.put(tenant,
                current(tenant, xs.stream().flatMap(x -> principals.getOrDefault(x.id, Set.of()).stream()).toList())));
        for (ExceptionRecord x : exceptions) {
            Map<PrincipalKey, UsageView> usage = byTenant.get(x.tenantId);
            List<UsageView> views = principals.getOrDefault(x.id, Set.of()).stream()
                    .sorted(Comparator.comparing(PrincipalKey::type).thenComparing(PrincipalKey::id))
                    .map(usage::get).toList();
            out.put(x.id, new UsageView.OfException(overall(views), unusedAfterDays(), views));
        }
        return out;
    }

    /**
     * The usage of the principals as of a scan (for its alerts): judged from the scans observed up to it, provided it
     * is itself a COMPLETE scan that read sign-ins (its window is the latest); otherwise empty (nothing is inferred from
     * a refused read).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<PrincipalKey, UsageView> atScan(String tenantId, UUID scanId, Instant scanObservedAt,
            Collection<PrincipalKey> principals) {
        String tenant = tenantId.toLowerCase(Locale.ROOT);
        List<Window> windows = windows(tenant, scanObservedAt);
        if (windows.isEmpty() || !windows.get(0).scanId().equals(scanId)) {
            return Map.of();
        }
        return judgeAll(principals, windows, evidence(tenant, principals, scanObservedAt));
    }

    private Map<PrincipalKey, UsageView> current(String tenantId, Collection<PrincipalKey> principals) {
        String tenant = tenantId.toLowerCase(Locale.ROOT);
        if (principals.isEmpty()) {
            return Map.of();
        }
        return judgeAll(principals, windows(tenant, END_OF_TIME), evidence(tenant, principals, END_OF_TIME));
    }

    private Map<PrincipalKey, UsageView> judgeAll(Collection<PrincipalKey> principals, List<Window> windows,
            Map<PrincipalKey, Evidence> evidence) {
        Map<PrincipalKey, UsageView> out = new LinkedHashMap<>();
        for (PrincipalKey k : principals) {
            out.computeIfAbsent(k, key -> judge(key, evidence.get(key), windows, unusedAfterDays()));
        }
        return out;
    }

    /** The tenant's COMPLETE scans that read sign-ins, observed at or before {@code at}, newest first. */
    List<Window> windows(String tenant, Instant at) {
        List<?> rows = em.createNativeQuery("select p.scan_id, p.window_start, p.window_end, p.sign_in_window_days,"
                        + " p.observed_at, p.missing_signals from posture p join scan s on s.scan_id = p.scan_id"
                        + " where p.tenant_id = :t and s.status = 'COMPLETE' and p.sign_in_window_days is not null"
                        + " and p.observed_at <= :at order by p.observed_at desc, p.received_at desc")
                .setParameter("t", tenant).setParameter("at", at).getResultList();
        List<Window> windows = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            if (missingSignals((String) r[5]).contains(SIGN_INS)) {
                continue;
            }
            Instant observedAt = GapQueries.instant(r[4]);
            Instant end = r[2] == null ? observedAt : GapQueries.instant(r[2]);
            Instant start = r[1] == null ? end.minus(Duration.ofDays(((Number) r[3]).longValue())) : GapQueries.instant(r[1]);
            windows.add(new Window((UUID) r[0], start, end, observedAt));
        }
        return windows;
    }

    private Map<PrincipalKey, Evidence> evidence(String tenant, Collection<PrincipalKey> principals, Instant at) {
        Map<PrincipalKey, Evidence> out = new HashMap<>();
        if (principals.isEmpty()) {
            return out;
        }
        List<?> rows = em.createNativeQuery("select principal_type, principal_id, max(last_sign_in),"
                        + " max(last_single_factor_sign_in), min(observed_at) from exclusion_usage where tenant_id = :t"
                        + " and principal_id in (:ids) and observed_at <= :at group by principal_type, principal_id")
                .setParameter("t", tenant)
                .setParameter("ids", principals.stream().map(PrincipalKey::id).distinct().toList())
                .setParameter("at", at).getResultList();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.put(new PrincipalKey((String) r[0], (String) r[1]),
                    new Evidence(GapQueries.instant(r[2]), GapQueries.instant(r[3]), GapQueries.instant(r[4])));
        }
        return out;
    }

    /** The signals a posture names as missing. */
    static Set<String> missingSignals(String json) {
        try {
            List<MissingSignal> missing = json == null ? List.of() : EventCodec.get().mapper().readValue(json, MISSING);
            return missing.stream().map(MissingSignal::signal).collect(Collectors.toSet());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where the sign-in history of a principal starts: the start of the newest window, extended back through each
     * older window that reaches it (no gap), never through a scan observed before the principal's usage was first
     * reported ({@code trackedSince}; null: never reported, no history). Null when there is none.
     */
    static Instant historyStart(List<Window> newestFirst, Instant trackedSince) {
        if (trackedSince == null) {
            return null;
        }
        Instant start = null;
        for (Window w : newestFirst) {
            if (w.observedAt().isBefore(trackedSince)) {
                break;
            }
            if (start == null) {
                start = w.start();
            } else if (w.end().isBefore(start)) {
                break; // a gap: what happened in it is unknown, and so is everything before
            } else if (w.start().isBefore(start)) {
                start = w.start();
            }
        }
        return start;
    }

    /** The verdict on one principal, as of the newest window's end. */
    static UsageView judge(PrincipalKey k, Evidence evidence, List<Window> newestFirst, int unusedAfterDays) {
        Instant last = evidence == null ? null : evidence.lastSignIn();
        Instant lastSingleFactor = evidence == null ? null : evidence.lastSingleFactorSignIn();
        if (newestFirst.isEmpty()) {
            return new UsageView(k.type(), k.id(), Verdict.INSUFFICIENT_HISTORY.name(), last, lastSingleFactor, null, 0,
                    null, null, unusedAfterDays, "history covers 0 of " + unusedAfterDays
                    + " days: no COMPLETE scan has read sign-ins yet");
        }
        Instant asOf = newestFirst.get(0).end();
        Integer since = last == null ? null : (int) Math.max(0, Duration.between(last, asOf).toDays());
        Instant start = historyStart(newestFirst, evidence == null ? null : evidence.trackedSince());
        int history = start == null ? 0 : (int) Math.max(0, Duration.between(start, asOf).toDays());
        if (last != null && !last.isBefore(asOf.minus(Duration.ofDays(unusedAfterDays)))) {
            return new UsageView(k.type(), k.id(), Verdict.USED.name(), last, lastSingleFactor, since, history, start,
                    asOf, unusedAfterDays, "signed in " + since + (since == 1 ? " day" : " days") + " before " + Alerts.day(asOf));
        }
        if (start != null && history >= unusedAfterDays) {
            return new UsageView(k.type(), k.id(), Verdict.UNUSED.name(), last, lastSingleFactor, since, history, start,
                    asOf, unusedAfterDays, last == null
                    ? "no sign-in in " + history + " days of history"
                    : "no sign-in for " + since + " days (last on " + Alerts.day(last) + ")");
        }
        return new UsageView(k.type(), k.id(), Verdict.INSUFFICIENT_HISTORY.name(), last, lastSingleFactor, since, history,
                start, asOf, unusedAfterDays, "history covers " + history + " of " + unusedAfterDays + " days"
                + (evidence == null ? ": no scan has reported this principal's sign-ins yet" : ""));
    }

    /** USED if any principal is used, UNUSED if every one is unused, else INSUFFICIENT_HISTORY; null for none. */
    static String overall(List<UsageView> principals) {
        if (principals.isEmpty()) {
            return null;
        }
        if (principals.stream().anyMatch(u -> Verdict.USED.name().equals(u.verdict()))) {
            return Verdict.USED.name();
        }
        return principals.stream().allMatch(u -> Verdict.UNUSED.name().equals(u.verdict()))
                ? Verdict.UNUSED.name() : Verdict.INSUFFICIENT_HISTORY.name();
    }
}
