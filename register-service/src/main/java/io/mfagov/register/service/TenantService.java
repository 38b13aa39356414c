package io.mfagov.register.service;

import io.mfagov.register.outbox.Outbox;

import io.mfagov.model.events.ScanReason;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.Tenant;
import io.mfagov.register.api.TenantInput;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The tenant catalogue and on-demand scan requests. */
@ApplicationScoped
public class TenantService {

    private final EntityManager em;
    private final AuditLog audit;
    private final Outbox outbox;
    private final RegisterConfig config;

    public TenantService(EntityManager em, AuditLog audit, Outbox outbox, RegisterConfig config) {
        this.em = em;
        this.audit = audit;
        this.outbox = outbox;
        this.config = config;
    }

    @Transactional
    public List<Tenant> list() {
        return list(null, null, null);
    }

    /**
     * Tenants, optionally only those whose access status is {@code accessStatus} ({@code NONE}: never checked), that
     * were registered by discovery or scan results and not yet adopted ({@code discovered}), or whose relationship
     * summary is {@code relationshipStatus}.
     */
    @Transactional
    public List<Tenant> list(String accessStatus, Boolean discovered, String relationshipStatus) {
        StringBuilder q = new StringBuilder("from Tenant t where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (accessStatus != null) {
            if ("NONE".equals(accessStatus)) {
                q.append(" and t.accessStatus is null");
            } else {
                q.append(" and t.accessStatus = :access");
                params.put("access", accessStatus);
            }
        }
        if (discovered != null) {
            q.append(" and t.discovered = :discovered");
            params.put("discovered", discovered);
        }
        if (relationshipStatus != null) {
            q.append(" and t.relationshipStatus = :relationship");
            params.put("relationship", relationshipStatus);
        }
        var query = em.createQuery(q.append(" order by t.tenantId").toString(), Tenant.class);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    @Transactional
    public Tenant get(String tenantId) {
        Tenant tenant = em.find(Tenant.class, Check.guid("tenantId", tenantId));
        if (tenant == null) {
            throw ProblemException.notFound("tenant", tenantId);
        }
        return tenant;
    }

    /** The tenant of a scan result, registered (disabled, "discovered") when the catalogue does not know it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Tenant ensure(String tenantId, Instant now) {
        String id = tenantId.toLowerCase(java.util.Locale.ROOT);
        Tenant tenant = em.find(Tenant.class, id);
        if (tenant == null) {
            tenant = new Tenant();
            tenant.tenantId = id;
            tenant.scanIntervalMinutes = config.scheduler().defaultIntervalMinutes();
            tenant.enabled = false;
            tenant.discovered = true;
            tenant.createdAt = now;
            tenant.createdBy = ScanResultService.ACTOR;
            tenant.updatedAt = now;
            tenant.updatedBy = ScanResultService.ACTOR;
            em.persist(tenant);
            audit.append(id, ScanResultService.ACTOR, "TENANT_DISCOVERED", "tenant", id, Map.of());
        }
        return tenant;
    }

    @Transactional
    public Tenant create(TenantInput in, String actor) {
        Check.required("body", in);
        audit.lockChain(); // before the tenant's row (lock order: AuditLog.lockChain)
        String id = Check.guid("tenantId", in.tenantId());
        Tenant tenant = em.find(Tenant.class, id);
        Instant now = Instant.now();
        if (tenant != null && !tenant.discovered) {
            throw ProblemException.conflict("tenant " + id + " already exists; use PUT to change it");
        }
        boolean fresh = tenant == null;
        if (fresh) {
            tenant = new Tenant();
            tenant.tenantId = id;
            tenant.createdAt = now;
            tenant.createdBy = actor;
        }
        apply(tenant, in, now, actor);
        tenant.discovered = false;
        if (fresh) {
            em.persist(tenant);
        }
        audit.append(id, actor, "TENANT_CREATED", "tenant", id, describe(tenant));
        return tenant;
    }

    @Transactional
    public Tenant update(String tenantId, TenantInput in, String actor) {
        Check.required("body", in);
        audit.lockChain(); // before the tenant's row (lock order: AuditLog.lockChain)
        Tenant tenant = get(tenantId);
        if (in.tenantId() != null && !tenant.tenantId.equalsIgnoreCase(in.tenantId())) {
            throw ProblemException.invalid("tenantId", "tenantId in the body differs from the path");
        }
        apply(tenant, in, Instant.now(), actor);
        tenant.discovered = false;
        audit.append(tenant.tenantId, actor, "TENANT_UPDATED", "tenant", tenant.tenantId, describe(tenant));
        return tenant;
    }

    @Transactional
    public void delete(String tenantId, String actor) {
        audit.lockChain(); // before the tenant's row (lock order: AuditLog.lockChain)
        Tenant tenant = get(tenantId);
        em.remove(tenant);
        audit.append(tenant.tenantId, actor, "TENANT_DELETED", "tenant", tenant.tenantId, Map.of());
    }

    /** Asks the scanner for a scan now (through the outbox). Returns the request id. */
    @Transactional
    public UUID requestScan(String tenantId, String actor, ScanReason reason) {
        audit.lockChain(); // before the tenant's row (lock order: AuditLog.lockChain)
        Tenant tenant = get(tenantId);
        UUID requestId = enqueueScan(tenant, actor, reason, Instant.now(), false);
        if (requestId == null) {
            throw ProblemException.notFound("tenant", tenantId); // deleted meanwhile
        }
        return requestId;
    }

    /**
     * Records a finished scan on the tenant (last finished, last status, failure streak) with one targeted UPDATE, so
     * that a concurrent change of the tenant by an admin is neither undone nor undoes this. Returns the failure streak
     * after it (0 unless the scan FAILED).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int recordScanFinished(String tenantId, Instant finishedAt, ScanStatus status) {
        em.flush(); // a tenant just registered by ensure() is inserted first
        Object streak = em.createNativeQuery("update tenant set last_scan_finished_at = ?1, last_scan_status = ?2,"
                        + " failure_streak = case when ?3 then failure_streak + 1 else 0 end where tenant_id = ?4"
                        + " returning failure_streak")
                .setParameter(1, finishedAt).setParameter(2, status.name()).setParameter(3, status == ScanStatus.FAILED)
                .setParameter(4, tenantId.toLowerCase(java.util.Locale.ROOT)).getSingleResult();
        return ((Number) streak).intValue();
    }

    /**
     * Enqueues a scan request of the tenant and records when (a targeted UPDATE of that column only). With
     * {@code onlyIfEnabled} (the scheduler), nothing is requested when the tenant has been disabled meanwhile: returns
     * null.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID enqueueScan(Tenant tenant, String actor, ScanReason reason, Instant now, boolean onlyIfEnabled) {
        em.flush();
        int updated = em.createNativeQuery("update tenant set last_scan_requested_at = ?1 where tenant_id = ?2"
                        + (onlyIfEnabled ? " and enabled" : ""))
                .setParameter(1, now).setParameter(2, tenant.tenantId).executeUpdate();
        if (updated == 0) {
            return null;
        }
        UUID requestId = UUID.randomUUID();
        ScanRequested request = new ScanRequested(requestId, tenant.tenantId, tenant.displayName, reason, now, actor,
                tenant.credentialRef);
        outbox.enqueue("SCAN_REQUESTED:" + requestId, request, now);
        audit.append(tenant.tenantId, actor, "SCAN_REQUESTED", "tenant", tenant.tenantId,
                Map.of("requestId", requestId.toString(), "reason", reason.name()));
        return requestId;
    }

    private void apply(Tenant tenant, TenantInput in, Instant now, String actor) {
        tenant.displayName = Check.maxLength("displayName", in.displayName(), 256);
        tenant.psaCompanyId = Check.maxLength("psaCompanyId", in.psaCompanyId(), 128);
        tenant.scanIntervalMinutes = Check.range("scanIntervalMinutes", in.scanIntervalMinutes(),
                config.scheduler().minIntervalMinutes(), 60 * 24 * 31, config.scheduler().defaultIntervalMinutes());
        tenant.alertRoute = Check.maxLength("alertRoute", in.alertRoute(), 256);
        tenant.credentialRef = Check.maxLength("credentialRef", in.credentialRef(), 128);
        tenant.enabled = in.enabled() == null || in.enabled();
        // Enforcement settings: on create, left out = off (the defaults); on PUT, left out = unchanged, so that a client
        // that does not know them never switches enforcement off or on by accident.
        if (in.enforcementEnabled() != null) {
            tenant.enforcementEnabled = in.enforcementEnabled();
        }
        if (in.autoApplyExpiry() != null) {
            tenant.autoApplyExpiry = in.autoApplyExpiry();
        }
        if (in.groupMembershipRemoval() != null) {
            tenant.groupMembershipRemoval = in.groupMembershipRemoval();
        }
        if (in.enforcementGraceDays() != null) {
            tenant.enforcementGraceDays = Check.range("enforcementGraceDays", in.enforcementGraceDays(), 0, 365, 7);
        }
        tenant.updatedAt = now;
        tenant.updatedBy = actor;
    }

    private static Map<String, Object> describe(Tenant t) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("displayName", t.displayName);
        d.put("psaCompanyId", t.psaCompanyId);
        d.put("scanIntervalMinutes", t.scanIntervalMinutes);
        d.put("alertRoute", t.alertRoute);
        d.put("credentialRef", t.credentialRef);
        d.put("enabled", t.enabled);
        d.put("enforcementEnabled", t.enforcementEnabled);
        d.put("autoApplyExpiry", t.autoApplyExpiry);
        d.put("groupMembershipRemoval", t.groupMembershipRemoval);
        d.put("enforcementGraceDays", t.enforcementGraceDays);
        return d;
    }
}
