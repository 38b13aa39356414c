package io.mfagov.register.service;

import io.mfagov.model.events.CoverageFinding;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.register.entity.ScanCoverage;
import io.mfagov.register.entity.Tenant;
import io.mfagov.register.entity.UncoveredUserEntry;
import io.mfagov.register.outbox.Outbox;
import io.mfagov.register.repository.CoverageRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's effective MFA coverage, per scan (CoverageObserved): stored as it arrives; its alerts decided when the
 * scan completes COMPLETE, by comparing with the tenant's previous COMPLETE scan that sent coverage. Coverage of a
 * PARTIAL or FAILED scan is stored (and shown) but raises nothing and is never the "previous" one.
 */
@ApplicationScoped
public class MfaCoverage {

    private static final Logger LOG = Logger.getLogger(MfaCoverage.class);

    private final EntityManager em;
    private final Alerts alerts;
    private final Outbox outbox;

    public MfaCoverage(EntityManager em, Alerts alerts, Outbox outbox) {
        this.em = em;
        this.alerts = alerts;
        this.outbox = outbox;
    }

    /**
     * Stores the scan's coverage (replacing what an earlier copy of it stored), in the caller's transaction, which holds
     * the tenant's lock. Should the scan have completed already (its ScanCompleted came first, e.g. a replay), its
     * alerts are decided now; their ids are the scan's, so nothing is raised twice.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void observed(CoverageObserved o, Instant now) {
        em.flush(); // what came before in the batch, before the rows are written directly
        em.clear(); // and nothing read before stays stale
        em.unwrap(Session.class).doWork(c -> CoverageRows.replace(c, o, now));
        List<String> status = em.createQuery("select s.status from Scan s where s.scanId = :s", String.class)
                .setParameter("s", o.scanId()).getResultList();
        if (status.contains("COMPLETE")) {
            scanCompleted(o.scanId(), now);
        }
    }

    /**
     * After the scan completed COMPLETE: raises NO_MFA_ENFORCEMENT when the finding is present and was not in the
     * previous COMPLETE scan's coverage (or there is none), and UNCOVERED_PRIVILEGED_USER for each privileged user who
     * is uncovered now and was not an uncovered privileged user then. A scan that sent no coverage raises nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void scanCompleted(UUID scanId, Instant now) {
        ScanCoverage current = em.find(ScanCoverage.class, scanId);
        if (current == null) {
            return;
        }
        ScanCoverage previous = previousComplete(current);
        List<UncoveredUserEntry> users = users(current.scanId);
        List<UncoveredUserEntry> before = previous == null ? List.of() : users(previous.scanId);
        Tenant tenant = em.find(Tenant.class, current.tenantId);
        String tenantName = tenant == null ? null : tenant.displayName;

        List<Outbox.Pending> raised = new ArrayList<>();
        if (raisesNoMfaEnforcement(current.findingList(), previous == null ? null : previous.findingList())) {
            long privileged = users.stream().filter(u -> Boolean.TRUE.equals(u.privileged)).count();
            raised.add(alerts.noMfaEnforcementMessage(current, tenantName, privileged, now));
        }
        for (UncoveredUserEntry u : newlyUncoveredPrivileged(users, previous != null,
                previous != null && previous.truncated, before)) {
            raised.add(alerts.uncoveredPrivilegedUserMessage(current, tenantName, u, now));
        }
        if (!raised.isEmpty()) {
            LOG.infof("coverage of scan %s of tenant %s: %d alert(s) (previous complete coverage: %s)", scanId,
                    current.tenantId, raised.size(), previous == null ? "none" : previous.scanId);
            outbox.enqueueAll(raised, now);
        }
    }

    /**
     * NO_MFA_ENFORCEMENT is raised when the finding is present now and was not in the previous COMPLETE scan's coverage
     * ({@code previousFindings} null: there is none, the first scan counts as "not present before"). A second scan
     * with the finding raises nothing; one after a scan where it had cleared raises it again.
     */
    static boolean raisesNoMfaEnforcement(List<String> findings, List<String> previousFindings) {
        String finding = CoverageFinding.NO_MFA_ENFORCEMENT.name();
        return findings.contains(finding) && (previousFindings == null || !previousFindings.contains(finding));
    }

    /**
     * The users to raise UNCOVERED_PRIVILEGED_USER for: privileged ({@code privileged=true}), uncovered now, and not an
     * uncovered privileged user in the previous COMPLETE scan — covered then (not listed), or listed then without being
     * known privileged (the role is new, or could not be read). Without a previous COMPLETE coverage every one counts.
     * A user missing from a previous list that was truncated may have been uncovered already: nothing is raised (quiet
     * rather than noisy); so does a user missing from a truncated list now, who cannot be named.
     */
    static List<UncoveredUserEntry> newlyUncoveredPrivileged(List<UncoveredUserEntry> users, boolean hasPrevious,
            boolean previousTruncated, List<UncoveredUserEntry> previousUsers) {
        Map<String, UncoveredUserEntry> before = new HashMap<>();
        previousUsers.forEach(u -> before.put(u.userId, u));
        return users.stream()
                .filter(u -> Boolean.TRUE.equals(u.privileged))
                .filter(u -> {
                    if (!hasPrevious) {
                        return true;
                    }
                    UncoveredUserEntry then = before.get(u.userId);
                    return then == null ? !previousTruncated : !Boolean.TRUE.equals(then.privileged);
                })
                .toList();
    }

    /** The tenant's latest coverage, before this one (scanner clock), of a scan that completed COMPLETE. */
    private ScanCoverage previousComplete(ScanCoverage current) {
        return em.createQuery("select c from ScanCoverage c, Scan s where s.scanId = c.scanId and s.status = 'COMPLETE'"
                        + " and c.tenantId = :t and c.scanId <> :scan and c.observedAt < :at"
                        + " order by c.observedAt desc, c.receivedAt desc", ScanCoverage.class)
                .setParameter("t", current.tenantId).setParameter("scan", current.scanId)
                .setParameter("at", current.observedAt).setMaxResults(1)
                .getResultStream().findFirst().orElse(null);
    }

    private List<UncoveredUserEntry> users(UUID scanId) {
        return em.createQuery("from UncoveredUserEntry u where u.scanId = :s order by u.userId", UncoveredUserEntry.class)
                .setParameter("s", scanId).getResultList();
    }
}
