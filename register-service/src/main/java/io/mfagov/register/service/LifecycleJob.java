package io.mfagov.register.service;

import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.ExceptionRecord.Status;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The daily job: EXPIRING warnings (14 and 3 days ahead by default), EXPIRED at expiry, REVIEW_DUE,
 * the time-dependent exclusion statuses, and the removal of exclusions whose exception expired more than the tenant's
 * grace days ago (opted-in tenants, enforceable categories: {@link Remediations#planExpired}). Idempotent: alert ids carry the date that makes
 * them distinct, so running twice a day raises nothing new. One replica runs it (advisory lock).
 */
@ApplicationScoped
public class LifecycleJob {

    private static final Logger LOG = Logger.getLogger(LifecycleJob.class);
    static final long LIFECYCLE_LOCK = 0x6d666167_6c696665L; // "mfaglife"
    public static final String ACTOR = "lifecycle";

    private final EntityManager em;
    private final AuditLog audit;
    private final Alerts alerts;
    private final Reconciler reconciler;
    private final RegisterConfig config;
    private final TenantLocks locks;
    private final Remediations remediations;

    public LifecycleJob(EntityManager em, AuditLog audit, Alerts alerts, Reconciler reconciler, RegisterConfig config,
            TenantLocks locks, Remediations remediations) {
        this.em = em;
        this.remediations = remediations;
        this.locks = locks;
        this.audit = audit;
        this.alerts = alerts;
        this.reconciler = reconciler;
        this.config = config;
    }

    @Scheduled(cron = "${register.lifecycle.cron:0 0 6 * * ?}", identity = "lifecycle",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        Result result = run(Instant.now());
        LOG.infof("lifecycle: %s", result);
    }

    public record Result(boolean ran, int expired, int expiringWarnings, int reviewsDue, int statusChanges,
            int remediationsPlanned) {
    }

    /** Runs the job as of {@code now} (tests pass a future instant to play time forward). */
    @Transactional
    public Result run(Instant now) {
        Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, LIFECYCLE_LOCK).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return new Result(false, 0, 0, 0, 0, 0);
        }
        Set<String> touched = new TreeSet<>();
        // The tenants' locks before their exceptions are read: a revoke or approval is not overwritten by EXPIRED.
        // The tenants that opted in to enforcement too: their expired exclusions are planned for removal below.
        Set<String> lockedTenants = new TreeSet<>(em.createQuery(
                "select distinct tenantId from ExceptionRecord where status = 'APPROVED'", String.class).getResultList());
        lockedTenants.addAll(em.createQuery("select tenantId from Tenant where enforcementEnabled = true", String.class)
                .getResultList());
        locks.lockAll(lockedTenants);
        List<ExceptionRecord> approved = em.createQuery("from ExceptionRecord where status = 'APPROVED'", ExceptionRecord.class)
                .getResultList();
        List<Integer> warnings = config.lifecycle().warningDays().stream().sorted().toList();
        int expired = 0;
        int expiring = 0;
        int reviews = 0;
        for (ExceptionRecord x : approved) {
            touched.add(x.tenantId);
            Due due = due(x.expiresAt, x.nextReviewAt, now, warnings);
            if (due.expired()) {
                x.status = Status.EXPIRED.name();
                audit.append(x.tenantId, ACTOR, "EXCEPTION_EXPIRED", "exception", x.id,
                        Map.of("expiresAt", x.expiresAt.toString()));
                alerts.expired(x, now);
                expired++;
                continue;
            }
            if (due.warningDays() != null) {
                alerts.expiring(x, due.warningDays(), now);
                expiring++;
            }
            if (due.reviewDue()) {
                alerts.reviewDue(x, now);
                reviews++;
            }
        }
        int changes = 0;
        for (String tenant : touched) {
            changes += reconciler.refreshTenant(tenant, ACTOR, now, null);
        }
        // Exclusions of exceptions expired past their tenant's grace days: removal planned (dry run requested).
        int planned = remediations.planExpired(now);
        return new Result(true, expired, expiring, reviews, changes, planned);
    }

    /**
     * What the job does for one approved exception as of {@code now}.
     *
     * @param expired     its expiry has come: EXPIRED (and nothing else)
     * @param warningDays the EXPIRING warning it is inside (the nearest of the configured days it is within), or null
     * @param reviewDue   its next review date has come
     */
    record Due(boolean expired, Integer warningDays, boolean reviewDue) {
    }

    /**
     * An exception expires at its expiry instant; otherwise it gets the warning of the smallest configured day count
     * whose window (now + days) reaches its expiry (T-3 rather than T-14 three days ahead: the alert id carries the
     * day count, so each warning goes out once); its review is due once {@code nextReviewAt} has come.
     */
    static Due due(Instant expiresAt, Instant nextReviewAt, Instant now, List<Integer> warningDays) {
        if (!expiresAt.isAfter(now)) {
            return new Due(true, null, false);
        }
        Integer warning = null;
        for (int days : warningDays.stream().sorted().toList()) {
            if (!expiresAt.isAfter(now.plus(days, ChronoUnit.DAYS))) {
                warning = days;
                break;
            }
        }
        return new Due(false, warning, nextReviewAt != null && !nextReviewAt.isAfter(now));
    }
}
