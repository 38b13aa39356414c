package io.mfagov.register;

import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.register.repository.ProcessedEventRepository;
import io.mfagov.register.service.Alerts;
import io.mfagov.register.service.AuditLog;
import io.mfagov.register.service.Coverage;
import io.mfagov.register.service.MfaCoverage;
import io.mfagov.register.service.GapSignalAlerts;
import io.mfagov.register.outbox.Outbox;
import io.mfagov.register.service.Reconciler;
import io.mfagov.register.service.Remediations;
import io.mfagov.register.service.ScanResultService;
import io.mfagov.register.service.TenantLocks;
import io.mfagov.register.service.TenantService;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only: reconciliation that fails for chosen tenants, as the database would. Transiently: a lost connection
 * (SQLState 08006) the first n times; permanently: every time, with a failure of the record itself. Other tenants are
 * reconciled as usual.
 */
@Alternative
@Priority(1)
@jakarta.inject.Singleton
public class FlakyScanResultService extends ScanResultService {

    private static final Map<String, AtomicInteger> TRANSIENT = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> PERMANENT = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    public FlakyScanResultService(ProcessedEventRepository processedEvents, EntityManager em, Coverage coverage,
            Reconciler reconciler, AuditLog audit, Alerts alerts, TenantService tenants, Outbox outbox, TenantLocks locks,
            MfaCoverage mfaCoverage, GapSignalAlerts gapAlerts, Remediations remediations,
            io.mfagov.register.service.TenantAccess access, io.mfagov.register.service.Discoveries discoveries) {
        super(processedEvents, em, coverage, reconciler, audit, alerts, tenants, outbox, locks, mfaCoverage, gapAlerts,
                remediations, access, discoveries);
    }

    /** The tenant's scan results fail with a lost connection the next {@code times} times they are applied. */
    static void failTransiently(String tenantId, int times) {
        TRANSIENT.put(tenantId, new AtomicInteger(times));
    }

    /** The tenant's scan results always fail, as a record the register cannot apply would. */
    static void failPermanently(String tenantId) {
        PERMANENT.put(tenantId, true);
    }

    /** How many times a batch with the tenant's scan results was applied (attempted). */
    static int attempts(String tenantId) {
        AtomicInteger n = ATTEMPTS.get(tenantId);
        return n == null ? 0 : n.get();
    }

    static int transientFailuresLeft(String tenantId) {
        AtomicInteger n = TRANSIENT.get(tenantId);
        return n == null ? 0 : n.get();
    }

    @Override
    public int applyAll(List<EventEnvelope<EventPayload>> envelopes) {
        for (EventEnvelope<EventPayload> envelope : envelopes) {
            String tenant = envelope.tenantId();
            if (tenant == null) {
                continue;
            }
            if (TRANSIENT.containsKey(tenant) || PERMANENT.containsKey(tenant)) {
                ATTEMPTS.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
            }
            if (PERMANENT.containsKey(tenant)) {
                throw new IllegalStateException("scan result of tenant " + tenant + " cannot be applied (test)");
            }
            AtomicInteger left = TRANSIENT.get(tenant);
            if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new PersistenceException("could not execute statement",
                        new SQLException("An I/O error occurred while sending to the backend (test)", "08006"));
            }
        }
        return super.applyAll(envelopes);
    }
}
