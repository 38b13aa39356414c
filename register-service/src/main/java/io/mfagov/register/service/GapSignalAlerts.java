package io.mfagov.register.service;

import io.mfagov.model.events.GapKind;
import io.mfagov.register.api.GapView;
import io.mfagov.register.api.UsageView;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.entity.Tenant;
import io.mfagov.register.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The alerts of a scan's gap signals, decided when the scan completes COMPLETE (or when its posture arrives after
 * that, e.g. a replay: the ids are the scan's, so nothing is raised twice), against the tenant's previous COMPLETE scan
 * that read the same signal. A scan whose posture names a signal as missing raises nothing from that signal and is
 * never the "previous" scan for it: nothing is inferred from a refused read. A scan without posture raises nothing.
 * <ul>
 * <li>SINGLE_FACTOR_SIGNINS: a user with single-factor sign-ins who had none in the previous scan that read sign-ins,
 * or whose count reached {@code register.gap-alerts.single-factor-rising-factor} times the previous count;</li>
 * <li>NOT_REGISTERED_PRIVILEGED: a privileged user NOT_REGISTERED or NOT_CAPABLE who was not a privileged user
 * NOT_REGISTERED or NOT_CAPABLE in the previous scan that read registration (once per episode);</li>
 * <li>UNUSED_EXCEPTION: each principal of an approved exception whose usage verdict ({@link ExclusionUsage}) as of
 * this scan is UNUSED (once per principal and last sign-in).</li>
 * </ul>
 */
@ApplicationScoped
public class GapSignalAlerts {

    private static final Logger LOG = Logger.getLogger(GapSignalAlerts.class);
    private static final Set<String> CANNOT_DO_MFA = Set.of(GapKind.NOT_REGISTERED.name(), GapKind.NOT_CAPABLE.name());

    private final EntityManager em;
    private final Alerts alerts;
    private final Outbox outbox;
    private final GapQueries gaps;
    private final ExclusionUsage usage;
    private final RegisterConfig config;
    private final ExclusionRisk risk;

    public GapSignalAlerts(EntityManager em, Alerts alerts, Outbox outbox, GapQueries gaps, ExclusionUsage usage,
            RegisterConfig config, ExclusionRisk risk) {
        this.risk = risk;
        this.em = em;
        this.alerts = alerts;
        this.outbox = outbox;
        this.gaps = gaps;
        this.usage = usage;
        this.config = config;
    }

    /** A scan's posture as stored: when it was observed, and which signals it could not read. */
    record Posture(UUID scanId, String tenantId, Instant observedAt, boolean signInsRead, Set<String> missing) {
    }

    /** Whether the scan is COMPLETE (for a posture arriving after its ScanCompleted). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean isComplete(UUID scanId) {
        return em.createQuery("select s.status from Scan s where s.scanId = :s", String.class)
                .setParameter("s", scanId).getResultList().contains("COMPLETE");
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void scanCompleted(UUID scanId, Instant now) {
        Posture current = posture(scanId);
        if (current == null) {
            return;
        }
        Tenant tenant = em.find(Tenant.class, current.tenantId());
        String tenantName = tenant == null ? null : tenant.displayName;
        List<Outbox.Pending> raised = new ArrayList<>();
        if (current.signInsRead()) {
            singleFactor(current, tenantName, raised, now);
            unusedExceptions(current, tenantName, raised, now);
        }
        if (!current.missing().contains(ExclusionUsage.REGISTRATION)) {
            notRegisteredPrivileged(current, tenantName, raised, now);
        }
        if (!raised.isEmpty()) {
            LOG.infof("gap signals of scan %s of tenant %s: %d alert(s)", scanId, current.tenantId(), raised.size());
            outbox.enqueueAll(raised, now);
        }
    }

    private void singleFactor(Posture current, String tenantName, List<Outbox.Pending> raised, Instant now) {
        List<GapView> users = gaps.ofScan(current.tenantId(), current.scanId(), GapKind.SINGLE_FACTOR_SIGNINS.name());
        if (users.isEmpty()) {
            return;
        }
        Posture previous = previous(current, true);
        Map<String, Integer> before = new HashMap<>();
        if (previous != null) {
            gaps.ofScan(previous.tenantId(), previous.scanId(), GapKind.SINGLE_FACTOR_SIGNINS.name())
                    .forEach(g -> before.put(g.userId(), g.count() == null ? 0 : g.count()));
        }
        double factor = config.gapAlerts().singleFactorRisingFactor();
        List<GapView> raising = users.stream().filter(g -> raisesSingleFactor(g.count(), before.get(g.userId()), factor))
                .toList();
        if (raising.isEmpty()) {
            return;
        }
        Map<String, List<String>> excluded = exclusionsOf(current.tenantId(), raising.stream().map(GapView::userId).toList());
        for (GapView g : raising) {
            raised.add(alerts.singleFactorSignInsMessage(current.scanId(), g, before.get(g.userId()),
                    excluded.getOrDefault(g.userId(), List.of()), current.tenantId(), tenantName, now));
        }
    }

    /**
     * SINGLE_FACTOR_SIGNINS is raised for a user with single-factor sign-ins now ({@code count} > 0) who had none in
     * the previous scan that read sign-ins ({@code previousCount} null or 0; without a previous scan every one counts),
     * or whose count reached {@code factor} times the previous one. A steady or slowly growing count raises nothing.
     */
    static boolean raisesSingleFactor(Integer count, Integer previousCount, double factor) {
        int now = count == null ? 0 : count;
        if (now <= 0) {
            return false;
        }
        if (previousCount == null || previousCount <= 0) {
            return true;
        }
        return now >= factor * previousCount;
    }

    private void notRegisteredPrivileged(Posture current, String tenantName, List<Outbox.Pending> raised, Instant now) {
        List<GapView> users = privilegedWithoutMfa(current);
        if (users.isEmpty()) {
            return;
        }
        Posture previous = previous(current, false);
        Set<String> before = previous == null ? Set.of()
                : privilegedWithoutMfa(previous).stream().map(GapView::userId).collect(Collectors.toSet());
        Set<String> alerted = new java.util.HashSet<>();
        for (GapView g : users) {
            if (!before.contains(g.userId()) && alerted.add(g.userId())) { // NOT_REGISTERED excludes NOT_CAPABLE; once anyway
                raised.add(alerts.notRegisteredPrivilegedMessage(current.scanId(), g, current.tenantId(), tenantName, now));
            }
        }
    }

    private List<GapView> privilegedWithoutMfa(Posture p) {
        return gaps.ofScan(p.tenantId(), p.scanId(), null).stream()
                // a listed shared, room or resource mailbox cannot register MFA by design: never an alert (noise);
                // its single-factor sign-ins still are (such an account should not sign in at all)
                .filter(g -> CANNOT_DO_MFA.contains(g.kind()) && Boolean.TRUE.equals(g.privileged()) && !g.sharedMailbox())
                .toList();
    }

    private void unusedExceptions(Posture current, String tenantName, List<Outbox.Pending> raised, Instant now) {
        List<ExceptionRecord> approved = em.createQuery("select distinct x from ExceptionRecord x where x.tenantId = :t"
                        + " and x.status = 'APPROVED'", ExceptionRecord.class)
                .setParameter("t", current.tenantId()).getResultList();
        if (approved.isEmpty()) {
            return;
        }
        List<Exclusion> exclusions = em.createQuery("from Exclusion e where e.exceptionId in :ids and e.removedAt is null"
                        + " and e.principalType in :types order by e.principalType, e.principalId, e.policyName", Exclusion.class)
                .setParameter("ids", approved.stream().map(x -> x.id).toList())
                .setParameter("types", ExclusionUsage.SIGN_IN_TYPES).getResultList();
        if (exclusions.isEmpty()) {
            return;
        }
        Map<ExclusionUsage.PrincipalKey, UsageView> verdicts = usage.atScan(current.tenantId(), current.scanId(),
                current.observedAt(), exclusions.stream()
                        .map(e -> new ExclusionUsage.PrincipalKey(e.principalType, e.principalId)).distinct().toList());
        Map<UUID, ExceptionRecord> byId = approved.stream().collect(Collectors.toMap(x -> x.id, x -> x));
        ExclusionRisk.Facts facts = risk.facts(current.tenantId());
        Map<String, List<Exclusion>> perExceptionAndPrincipal = exclusions.stream().collect(Collectors.groupingBy(
                e -> e.exceptionId + "|" + e.principalType + "|" + e.principalId, LinkedHashMap::new, Collectors.toList()));
        for (List<Exclusion> group : perExceptionAndPrincipal.values()) {
            Exclusion e = group.get(0);
            UsageView u = verdicts.get(new ExclusionUsage.PrincipalKey(e.principalType, e.principalId));
            if (u != null && ExclusionUsage.Verdict.UNUSED.name().equals(u.verdict())) {
                List<String> policies = group.stream().map(x -> x.policyName == null ? x.policyId : x.policyName)
                        .distinct().toList();
                RiskScore.Result score = group.stream().map(x -> ExclusionRisk.assess(facts, x, now).risk())
                        .max(java.util.Comparator.comparingInt(RiskScore.Result::score)).orElse(RiskScore.Result.NONE);
                raised.add(alerts.unusedExceptionMessage(byId.get(e.exceptionId), e, u, policies, score, tenantName, now));
            }
        }
    }

    /** "'Policy' (STATUS)" for each present exclusion of each of the users, by user id. */
    private Map<String, List<String>> exclusionsOf(String tenantId, List<String> userIds) {
        Map<String, List<String>> out = new HashMap<>();
        em.createQuery("from Exclusion e where e.tenantId = :t and e.principalType = 'USER' and e.principalId in :u"
                        + " and e.removedAt is null order by e.policyName", Exclusion.class)
                .setParameter("t", tenantId).setParameter("u", userIds).getResultList()
                .forEach(e -> {
                    List<String> list = out.computeIfAbsent(e.principalId, k -> new ArrayList<>());
                    String text = "'" + (e.policyName == null ? e.policyId : e.policyName) + "' (" + e.status + ")";
                    if (!list.contains(text)) {
                        list.add(text);
                    }
                });
        return out;
    }

    private Posture posture(UUID scanId) {
        List<?> rows = em.createNativeQuery("select scan_id, tenant_id, observed_at, sign_in_window_days, missing_signals"
                + " from posture where scan_id = :s").setParameter("s", scanId).getResultList();
        return rows.isEmpty() ? null : posture((Object[]) rows.get(0));
    }

    /**
     * The tenant's latest posture before this one (scanner clock) of a COMPLETE scan that read sign-ins
     * ({@code signIns}) or registration (otherwise).
     */
    private Posture previous(Posture current, boolean signIns) {
        List<?> rows = em.createNativeQuery("select p.scan_id, p.tenant_id, p.observed_at, p.sign_in_window_days,"
                        + " p.missing_signals from posture p join scan s on s.scan_id = p.scan_id where p.tenant_id = :t"
                        + " and s.status = 'COMPLETE' and p.scan_id <> :s and p.observed_at < :at"
                        + " order by p.observed_at desc, p.received_at desc")
                .setParameter("t", current.tenantId()).setParameter("s", current.scanId())
                .setParameter("at", current.observedAt()).getResultList();
        for (Object o : rows) {
            Posture p = posture((Object[]) o);
            if (signIns ? p.signInsRead() : !p.missing().contains(ExclusionUsage.REGISTRATION)) {
                return p;
            }
        }
        return null;
    }

    private static Posture posture(Object[] r) {
        Set<String> missing = ExclusionUsage.missingSignals((String) r[4]);
        return new Posture((UUID) r[0], ((String) r[1]).toLowerCase(Locale.ROOT), GapQueries.instant(r[2]),
                r[3] != null && !missing.contains(ExclusionUsage.SIGN_INS), missing);
    }
}
