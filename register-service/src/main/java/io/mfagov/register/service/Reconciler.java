package io.mfagov.register.service;

import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Recomputes the statuses of a tenant's exclusions after exceptions changed, time passed, or a complete scan. */
@ApplicationScoped
public class Reconciler {

    private final EntityManager em;
    private final Coverage coverage;
    private final AuditLog audit;
    private final Alerts alerts;
    private final TenantLocks locks;

    public Reconciler(EntityManager em, Coverage coverage, AuditLog audit, Alerts alerts, TenantLocks locks) {
        this.em = em;
        this.locks = locks;
        this.coverage = coverage;
        this.audit = audit;
        this.alerts = alerts;
    }

    /**
     * Re-decides every present exclusion of the tenant. With {@code completeScanId} (after a complete,
     * count-checked scan) approved exceptions covering nothing present are marked ORPHANED and alerted once. Holds the
     * tenant's lock ({@link TenantLocks}) from before it reads until the transaction ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int refreshTenant(String tenantId, String actor, Instant now, UUID completeScanId) {
        locks.lock(tenantId);
        List<ExceptionRecord> exceptions = coverage.liveExceptions(tenantId);
        List<Exclusion> present = em.createQuery("from Exclusion where tenantId = :t and removedAt is null", Exclusion.class)
                .setParameter("t", tenantId).getResultList();
        int changed = 0;
        for (Exclusion e : present) {
            String before = Coverage.apply(e, coverage.decide(e, exceptions, now));
            if (before != null) {
                changed++;
                audit.append(tenantId, actor, "EXCLUSION_STATUS_CHANGED", "exclusion", e.id,
                        Map.of("from", before, "to", e.status, "exceptionId", String.valueOf(e.exceptionId)));
            }
        }
        for (ExceptionRecord x : exceptions) {
            if (!x.is(ExceptionRecord.Status.APPROVED)) {
                continue;
            }
            boolean coversSomething = present.stream().anyMatch(e -> Coverage.covers(x, e));
            OrphanChange change = orphanChange(coversSomething, x.orphaned, completeScanId != null);
            if (change == OrphanChange.NO_LONGER_ORPHANED) {
                x.orphaned = false;
                audit.append(tenantId, actor, "EXCEPTION_NO_LONGER_ORPHANED", "exception", x.id, Map.of());
            } else if (change == OrphanChange.ORPHANED) {
                x.orphaned = true;
                audit.append(tenantId, actor, "EXCEPTION_ORPHANED", "exception", x.id,
                        Map.of("scanId", completeScanId.toString()));
                alerts.orphaned(x, completeScanId, now);
            }
        }
        return changed;
    }

    /** What a refresh does to an approved exception's orphan mark. */
    enum OrphanChange { NONE, ORPHANED, NO_LONGER_ORPHANED }

    /**
     * An approved exception becomes ORPHANED only after a complete, count-checked scan showed it covers nothing present
     * (an incomplete picture never orphans, so never alerts); it stops being orphaned as soon as it covers something
     * again. An exception already marked stays marked: the alert goes out once.
     */
    static OrphanChange orphanChange(boolean coversSomethingPresent, boolean orphaned, boolean afterCompleteScan) {
        if (coversSomethingPresent) {
            return orphaned ? OrphanChange.NO_LONGER_ORPHANED : OrphanChange.NONE;
        }
        return !orphaned && afterCompleteScan ? OrphanChange.ORPHANED : OrphanChange.NONE;
    }
}
