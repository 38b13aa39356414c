package io.mfagov.register.service;

import io.mfagov.model.events.ScanReason;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.Tenant;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Publishes ScanRequested for due tenants, and DiscoveryRequested once per {@code register.discovery.interval}
 * ({@link Discoveries#requestIfDue}, its own lock). Every replica ticks; a transaction-scoped PostgreSQL
 * advisory lock lets exactly one of them publish per tick (the others skip).
 */
@ApplicationScoped
public class ScanScheduler {

    private static final Logger LOG = Logger.getLogger(ScanScheduler.class);
    static final long SCHEDULER_LOCK = 0x6d666167_7363616eL; // "mfagscan"
    public static final String ACTOR = "scheduler";

    private final EntityManager em;
    private final TenantService tenants;
    private final RegisterConfig config;
    private final AuditLog audit;
    private final PausableTask gate = new PausableTask();
    private final Discoveries discoveries;

    public ScanScheduler(EntityManager em, TenantService tenants, RegisterConfig config, AuditLog audit,
            Discoveries discoveries) {
        this.discoveries = discoveries;
        this.audit = audit;
        this.em = em;
        this.tenants = tenants;
        this.config = config;
    }

    @Scheduled(every = "${register.scheduler.every:60s}", delayed = "${register.scheduler.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "scan-scheduler")
    void tick() {
        if (!config.scheduler().enabled()) {
            return;
        }
        gate.run(() -> {
            int requested = requestDueScans(Instant.now());
            if (requested > 0) {
                LOG.infof("requested %d scheduled scans", requested);
            }
            // The daily discovery (issue 16): when the partner tenant is configured and none ran within the interval.
            if (config.discovery().scheduled()) {
                discoveries.requestIfDue(Instant.now());
            }
        });
    }

    /**
     * Stops this replica's ticks (operations; tests that call {@link #requestDueScans} themselves). Returns once a tick
     * in progress has finished, so it no longer holds the scheduler's lock.
     */
    public void pause() {
        gate.pause();
    }

    public void resume() {
        gate.resume();
    }

    /** Requests a scan of every enabled tenant whose interval has passed; -1 when another replica holds the lock. */
    @Transactional
    public int requestDueScans(Instant now) {
        Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, SCHEDULER_LOCK).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return -1;
        }
        List<Tenant> enabled = em.createQuery("from Tenant where enabled = true order by tenantId", Tenant.class)
                .getResultList();
        int count = 0;
        boolean chainLocked = false;
        for (Tenant tenant : enabled) {
            if (tenant.lastScanRequestedAt == null
                    || !tenant.lastScanRequestedAt.plus(tenant.scanIntervalMinutes, ChronoUnit.MINUTES).isAfter(now)) {
                if (!chainLocked) { // before any tenant row (lock order: AuditLog.lockChain)
                    audit.lockChain();
                    chainLocked = true;
                }
                if (tenants.enqueueScan(tenant, ACTOR, ScanReason.SCHEDULED, now, true) != null) {
                    count++;
                }
            }
        }
        return count;
    }
}
