package io.mfagov.register.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.RemediationApplied;
import io.mfagov.model.events.RemediationFailed;
import io.mfagov.model.events.RemediationFailure;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationPlan;
import io.mfagov.model.events.RemediationPlanned;
import io.mfagov.model.events.RemediationReason;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ViaKind;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.AuditEvent;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.entity.Remediation;
import io.mfagov.register.entity.Remediation.Status;
import io.mfagov.register.entity.Tenant;
import io.mfagov.register.outbox.Outbox;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
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
import java.util.UUID;

/**
 * Removing exclusions from tenants (issue 15), the register's side: it decides (an exception expired past the tenant's
 * grace days, or a person retired it), asks the scanner for a dry run, records the plan, takes the approval (four
 * eyes), asks for the write, records the answer in the audit chain and lets the next complete scan confirm it.
 * Requests go out through the outbox in the transaction that decided them ({@code mfagov.remediation-requests}, key
 * tenant id); answers arrive with the scan results and are acted on only when they answer the remediation's latest
 * request ({@code pending_request_id}) while it waits for that answer, so replaying either topic changes nothing twice.
 * Lock order as everywhere: the tenant's lock, then the audit chain, then rows.
 */
@ApplicationScoped
public class Remediations {

    private static final Logger LOG = Logger.getLogger(Remediations.class);
    /** The actor of what the register plans and approves by itself. */
    public static final String ACTOR = LifecycleJob.ACTOR;

    private final EntityManager em;
    private final AuditLog audit;
    private final Alerts alerts;
    private final Outbox outbox;
    private final RegisterConfig config;
    private final TenantLocks locks;

    public Remediations(EntityManager em, AuditLog audit, Alerts alerts, Outbox outbox, RegisterConfig config,
            TenantLocks locks) {
        this.em = em;
        this.audit = audit;
        this.alerts = alerts;
        this.outbox = outbox;
        this.config = config;
        this.locks = locks;
    }

    /** Whether exclusions of this category may be removed (an unknown category: no, it is protected). */
    public boolean enforceable(String category) {
        RegisterConfig.Category c = config.categories().get(category);
        return c != null && c.enforceable();
    }

    /** Every payload this class takes from {@code mfagov.scan-results}. */
    public static boolean isAnswer(EventPayload p) {
        return p instanceof RemediationPlanned || p instanceof RemediationApplied || p instanceof RemediationFailed;
    }

    /** The tenant an answer is about. */
    public static String tenantOf(EventPayload p) {
        if (p instanceof RemediationPlanned a) {
            return a.tenantId();
        } else if (p instanceof RemediationApplied a) {
            return a.tenantId();
        }
        return ((RemediationFailed) p).tenantId();
    }

    // --- Planning -----------------------------------------------------------------------------------------------

    /**
     * The daily job's part (its transaction; the tenants of enforcement are locked by the caller, before the audit
     * chain): each present exclusion whose exception EXPIRED more than the tenant's grace days ago, in an opted-in
     * tenant and an enforceable category, is planned once (no open remediation for it, and none before for the same
     * exception: a rejected or rolled-back removal is not planned again by the job). Returns how many were planned.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int planExpired(Instant now) {
        em.flush();
        List<Object[]> candidates = em.createQuery("select e, x, t from Exclusion e, ExceptionRecord x, Tenant t"
                        + " where x.id = e.exceptionId and t.tenantId = e.tenantId and t.enforcementEnabled = true"
                        + " and e.removedAt is null and e.status = 'EXPIRED' and x.status = 'EXPIRED'"
                        + " and not exists (select r.id from Remediation r where r.exclusionId = e.id"
                        + " and (r.status in :open or r.exceptionId = x.id)) order by e.tenantId, e.id", Object[].class)
                .setParameter("open", Status.OPEN.stream().map(Enum::name).toList())
                .getResultList();
        Map<String, List<String>> protectedByTenant = new HashMap<>();
        int planned = 0;
        for (Object[] row : candidates) {
            Exclusion e = (Exclusion) row[0];
            ExceptionRecord x = (ExceptionRecord) row[1];
            Tenant t = (Tenant) row[2];
            if (!RemediationRules.pastGrace(x.expiresAt, t.enforcementGraceDays, now) || !enforceable(x.category)) {
                continue;
            }
            List<String> protectedIds = protectedByTenant.computeIfAbsent(t.tenantId, this::protectedIds);
            plan(e, x, t, RemediationReason.EXPIRED, ACTOR, protectedIds, now);
            planned++;
        }
        return planned;
    }

    /**
     * A person retires an exception: each of its present exclusions is planned for removal (reason RETIRED), requested
     * by that person (so another approves it). 409 when the tenant has enforcement off, the category is not
     * enforceable, or there is nothing to plan.
     */
    @Transactional
    public List<Remediation> retire(String exceptionId, String actor) {
        UUID id = Check.uuid("id", exceptionId);
        ExceptionRecord x = em.find(ExceptionRecord.class, id);
        if (x == null) {
            throw ProblemException.notFound("exception", exceptionId);
        }
        locks.lock(x.tenantId);
        em.refresh(x);
        Tenant t = em.find(Tenant.class, x.tenantId);
        if (t == null || !t.enforcementEnabled) {
            throw ProblemException.conflict("tenant " + x.tenantId + " has enforcement off (enforcementEnabled=false):"
                    + " the register removes nothing from it");
        }
        if (!enforceable(x.category)) {
            throw ProblemException.conflict("category " + x.category + " is not enforceable: its exclusions are never"
                    + " removed by the register");
        }
        if (x.is(ExceptionRecord.Status.REQUESTED) || x.is(ExceptionRecord.Status.REJECTED)) {
            throw ProblemException.conflict("exception " + x.id + " is " + x.status + ": only an approved or ended"
                    + " exception can be retired");
        }
        List<Exclusion> present = em.createQuery("from Exclusion e where e.exceptionId = :x and e.removedAt is null"
                        + " and not exists (select r.id from Remediation r where r.exclusionId = e.id and r.status in :open)"
                        + " order by e.id", Exclusion.class)
                .setParameter("x", x.id).setParameter("open", Status.OPEN.stream().map(Enum::name).toList())
                .getResultList();
        if (present.isEmpty()) {
            throw ProblemException.conflict("exception " + x.id + " covers no present exclusion without a removal"
                    + " already under way: nothing to retire");
        }
        List<String> protectedIds = protectedIds(x.tenantId);
        Instant now = Instant.now();
        List<Remediation> planned = new ArrayList<>();
        for (Exclusion e : present) {
            planned.add(plan(e, x, t, RemediationReason.RETIRED, actor, protectedIds, now));
        }
        return planned;
    }

    private Remediation plan(Exclusion e, ExceptionRecord x, Tenant t, RemediationReason reason, String actor,
            List<String> protectedIds, Instant now) {
        Remediation r = new Remediation();
        r.id = UUID.randomUUID();
        r.tenantId = e.tenantId;
        r.exclusionId = e.id;
        r.exclusionKey = e.exclusionKey;
        r.exceptionId = x == null ? null : x.id;
        r.policyId = e.policyId;
        r.policyName = e.policyName;
        r.principalType = e.principalType;
        r.principalId = e.principalId;
        r.principalName = e.principalDisplayName != null ? e.principalDisplayName : e.principalUpn;
        r.viaKind = e.viaKind;
        r.viaPath = e.viaPath;
        r.reason = reason.name();
        r.status = Status.PLANNING.name();
        r.requestedBy = actor;
        r.requestedAt = now;
        r.unexpectedChanges = "[]";
        r.missingPermissions = "[]";
        r.updatedAt = now;
        em.persist(r);
        UUID requestId = request(r, e, t, RemediationMode.PLAN, null, null, null, actor, protectedIds, now);
        Map<String, Object> details = describe(r);
        details.put("requestId", requestId.toString());
        details.put("protectedIds", protectedIds);
        audit.append(r.tenantId, actor, "REMEDIATION_REQUESTED", "remediation", r.id, details);
        return r;
    }

    /** Writes a request to the outbox and makes it the pending one. */
    private UUID request(Remediation r, Exclusion e, Tenant t, RemediationMode mode, RemediationPlan plan,
            String expectedModified, JsonNode expectedUsers, String actor, List<String> protectedIds, Instant now) {
        UUID requestId = UUID.randomUUID();
        Exclusion route = e != null ? e : em.find(Exclusion.class, r.exclusionId);
        long routes = em.createQuery("select count(e) from Exclusion e where e.tenantId = :t and e.principalId = :p"
                        + " and e.policyId = :pol and e.removedAt is null", Long.class)
                .setParameter("t", r.tenantId).setParameter("p", r.principalId).setParameter("pol", r.policyId)
                .getSingleResult();
        RemediationRequested request = new RemediationRequested(r.id, requestId, r.tenantId, mode,
                RemediationReason.valueOf(r.reason), r.policyId, principalType(r.principalType), r.principalId,
                r.principalName, via(route, r), routes <= 1, t != null && t.groupMembershipRemoval, protectedIds, plan,
                expectedModified, expectedUsers, now, actor, now.plus(config.remediation().requestValidity()),
                t == null ? null : t.credentialRef);
        outbox.enqueue("REMEDIATION_REQUESTED:" + requestId, request, now);
        r.pendingRequestId = requestId;
        return requestId;
    }

    /**
     * The ids no change may remove in a tenant: principals of its approved exceptions in non-enforceable categories
     * (break-glass) and the via and path ids of those principals' present exclusions.
     */
    public List<String> protectedIds(String tenantId) {
        List<String> enforceable = config.categories().entrySet().stream().filter(c -> c.getValue().enforceable())
                .map(Map.Entry::getKey).toList();
        jakarta.persistence.TypedQuery<String> q = em.createQuery("select distinct p.principalId from ExceptionRecord x"
                        + " join x.principals p where x.tenantId = :t and x.status = 'APPROVED'"
                        + (enforceable.isEmpty() ? "" : " and x.category not in :enforceable"), String.class)
                .setParameter("t", tenantId);
        if (!enforceable.isEmpty()) {
            q.setParameter("enforceable", enforceable);
        }
        List<String> principals = q.getResultList();
        List<List<String>> routes = new ArrayList<>();
        if (!principals.isEmpty()) {
            em.createQuery("select e.viaId, e.viaPathIds from Exclusion e where e.tenantId = :t and e.removedAt is null"
                            + " and e.principalId in :p", Object[].class)
                    .setParameter("t", tenantId).setParameter("p", principals).getResultList()
                    .forEach(row -> routes.add(RemediationRules.routeIds((String) row[0], (String) row[1])));
        }
        return RemediationRules.protectedIds(principals, routes);
    }

    // --- Answers (ScanResultService.applyAll: its transaction, the tenant and the audit chain locked) -----------

    /** Acts on one answer of the scanner; returns whether it changed anything. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean answered(EventPayload p, Instant now) {
        em.flush();
        UUID remediationId = p instanceof RemediationPlanned a ? a.remediationId()
                : p instanceof RemediationApplied a ? a.remediationId() : ((RemediationFailed) p).remediationId();
        UUID requestId = p instanceof RemediationPlanned a ? a.requestId()
                : p instanceof RemediationApplied a ? a.requestId() : ((RemediationFailed) p).requestId();
        RemediationMode mode = p instanceof RemediationPlanned a ? a.mode()
                : p instanceof RemediationApplied a ? a.mode() : ((RemediationFailed) p).mode();
        Remediation r = em.find(Remediation.class, remediationId);
        if (r == null || !r.tenantId.equalsIgnoreCase(tenantOf(p))) {
            LOG.warnf("answer to request %s names remediation %s, which the register does not have for tenant %s: ignored",
                    requestId, remediationId, tenantOf(p));
            return false;
        }
        em.refresh(r);
        if (!RemediationRules.awaits(r.state(), r.pendingRequestId, requestId, mode)) {
            LOG.debugf("answer to request %s of remediation %s (%s, pending %s): not awaited, ignored", requestId, r.id,
                    r.status, r.pendingRequestId);
            return false;
        }
        if (p instanceof RemediationPlanned a) {
            planned(r, a, now);
        } else if (p instanceof RemediationApplied a) {
            applied(r, a, now);
        } else {
            failed(r, (RemediationFailed) p, now);
        }
        r.updatedAt = now;
        return true;
    }

    private void planned(Remediation r, RemediationPlanned a, Instant now) {
        boolean replan = a.mode() != RemediationMode.PLAN;
        Map<String, Object> details = describe(r);
        details.put("requestId", a.requestId().toString());
        details.put("mode", a.mode().name());
        if (a.mode() == RemediationMode.ROLLBACK) {
            // The rollback's expected state is what the scanner just read; the plan to re-add stays the applied one.
            r.status = Status.ROLLBACK_PLANNED.name();
            r.modifiedAfter = a.plan().policyModifiedDateTime();
            r.usersAfter = json(a.plan().usersBefore());
            r.rollbackApprovedBy = null;
            r.rollbackApprovedAt = null;
            details.put("replanReason", a.replanReason());
            details.put("expectedModifiedDateTime", r.modifiedAfter);
            details.put("expectedUsers", a.plan().usersBefore());
            audit.append(r.tenantId, ScanResultService.ACTOR, "REMEDIATION_REPLANNED", "remediation", r.id, details);
            outbox.enqueue(alerts.remediationPlanned(r, planOf(r), a.requestId(), a.replanReason(), now), now);
            return;
        }
        RemediationPlan plan = a.plan();
        r.plan = json(plan);
        r.planKind = plan.kind().name();
        r.listName = plan.listName();
        r.approvedBy = null;
        r.approvedAt = null;
        Status next = RemediationRules.statusOfPlan(plan.kind());
        r.status = next.name();
        if (next == Status.FAILED) {
            r.failureReason = RemediationFailure.UNKNOWN.name();
            r.failureMessage = "the scanner answered with a plan kind this register does not know";
        }
        details.put("plan", plan);
        if (replan) {
            details.put("replanReason", a.replanReason());
        }
        audit.append(r.tenantId, ScanResultService.ACTOR, replan ? "REMEDIATION_REPLANNED" : "REMEDIATION_PLANNED",
                "remediation", r.id, details);
        Tenant t = em.find(Tenant.class, r.tenantId);
        if (next == Status.PLANNED && RemediationRules.autoApproves(t != null && t.autoApplyExpiry,
                RemediationReason.valueOf(r.reason), plan.kind(), a.mode(), replan)) {
            approveRemoval(r, t, ACTOR, "the tenant applies expiry removals automatically (autoApplyExpiry)", now);
            return;
        }
        if (next == Status.PLANNED || next == Status.MANUAL) {
            outbox.enqueue(alerts.remediationPlanned(r, plan, a.requestId(), replan ? a.replanReason() : null, now), now);
        }
    }

    private void applied(Remediation r, RemediationApplied a, Instant now) {
        boolean rollback = a.mode() == RemediationMode.ROLLBACK;
        r.listName = a.listName();
        r.beforeIds = json(a.before());
        r.afterIds = json(a.after());
        r.modifiedBefore = a.modifiedBefore();
        r.unexpectedChanges = json(a.unexpectedChanges());
        r.policyBefore = a.policyBefore() == null ? null : json(a.policyBefore());
        r.policyAfter = a.policyAfter() == null ? null : json(a.policyAfter());
        r.failureReason = null;
        r.failureMessage = null;
        if (rollback) {
            r.status = Status.ROLLED_BACK.name();
            r.rolledBackAt = a.appliedAt();
        } else {
            r.status = Status.APPLIED.name();
            r.appliedAt = a.appliedAt();
            r.modifiedAfter = a.modifiedAfter();
            r.usersAfter = a.usersAfter() == null ? null : json(a.usersAfter());
        }
        Map<String, Object> details = describe(r);
        details.put("requestId", a.requestId().toString());
        details.put("kind", a.kind().name());
        details.put("listName", a.listName());
        details.put("changedId", a.changedId());
        if (a.groupId() != null) {
            details.put("groupId", a.groupId());
        }
        details.put("before", a.before());
        details.put("after", a.after());
        details.put("modifiedBefore", a.modifiedBefore());
        details.put("modifiedAfter", a.modifiedAfter());
        RemediationPlan plan = planOf(r);
        if (plan != null && plan.patchBody() != null) {
            details.put("patchBody", plan.patchBody());
        }
        details.put("unexpectedChanges", a.unexpectedChanges());
        if (a.conflict()) {
            details.put("policyBefore", a.policyBefore());
            details.put("policyAfter", a.policyAfter());
        }
        audit.append(r.tenantId, ScanResultService.ACTOR, rollback ? "REMEDIATION_ROLLED_BACK" : "REMEDIATION_APPLIED",
                "remediation", r.id, details);
        outbox.enqueue(alerts.remediationApplied(r, a, now), now);
        if (a.conflict()) {
            audit.append(r.tenantId, ScanResultService.ACTOR, "REMEDIATION_CONFLICT", "remediation", r.id,
                    Map.of("requestId", a.requestId().toString(), "unexpectedChanges", a.unexpectedChanges()));
            outbox.enqueue(alerts.remediationConflict(r, a, now), now);
        }
        enforcementStatus(r.tenantId, "PERMITTED", List.of(), now);
    }

    private void failed(Remediation r, RemediationFailed f, Instant now) {
        r.status = (f.mode() == RemediationMode.ROLLBACK ? RemediationRules.afterFailedRollback(r.confirmedAt)
                : Status.FAILED).name();
        r.failureReason = f.reason().name();
        r.failureMessage = f.message().length() > 2048 ? f.message().substring(0, 2048) : f.message();
        r.missingPermissions = json(f.missingPermissions());
        Map<String, Object> details = describe(r);
        details.put("requestId", f.requestId().toString());
        details.put("mode", f.mode().name());
        details.put("failure", f.reason().name());
        details.put("message", r.failureMessage);
        if (!f.missingPermissions().isEmpty()) {
            details.put("missingPermissions", f.missingPermissions());
        }
        audit.append(r.tenantId, ScanResultService.ACTOR, "REMEDIATION_FAILED", "remediation", r.id, details);
        outbox.enqueue(alerts.remediationFailed(r, f, now), now);
        if (f.reason() == RemediationFailure.ENFORCEMENT_NOT_PERMITTED) {
            enforcementStatus(r.tenantId, "NOT_PERMITTED", f.missingPermissions(), now);
        }
    }

    /** The tenant's enforcement status, with a targeted UPDATE (an admin's change of the tenant is not undone). */
    private void enforcementStatus(String tenantId, String status, List<String> missing, Instant now) {
        em.flush();
        em.createNativeQuery("update tenant set enforcement_status = ?1, enforcement_missing_permissions = ?2,"
                        + " enforcement_checked_at = ?3 where tenant_id = ?4")
                .setParameter(1, status).setParameter(2, json(missing)).setParameter(3, now)
                .setParameter(4, tenantId.toLowerCase(Locale.ROOT)).executeUpdate();
    }

    // --- Confirmation (ScanResultService.completed, a COMPLETE scan that swept) -----------------------------------

    /**
     * Applied and manual removals whose exclusion a complete scan no longer detects are CONFIRMED. Returns how many.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int confirmRemoved(String tenantId, UUID scanId, Instant now) {
        em.flush();
        List<Remediation> done = em.createQuery("select r from Remediation r, Exclusion e where e.id = r.exclusionId"
                        + " and r.tenantId = :t and r.status in ('APPLIED', 'MANUAL') and e.removedAt is not null",
                        Remediation.class)
                .setParameter("t", tenantId.toLowerCase(Locale.ROOT)).getResultList();
        for (Remediation r : done) {
            String before = r.status;
            r.status = Status.CONFIRMED.name();
            r.confirmedAt = now;
            r.updatedAt = now;
            Map<String, Object> details = describe(r);
            details.put("scanId", scanId.toString());
            details.put("previousStatus", before);
            audit.append(r.tenantId, ScanResultService.ACTOR, "REMEDIATION_CONFIRMED", "remediation", r.id, details);
        }
        em.flush();
        return done.size();
    }

    // --- People: approve, reject, roll back ------------------------------------------------------------------

    @Transactional
    public Remediation get(String id) {
        Remediation r = em.find(Remediation.class, Check.uuid("id", id));
        if (r == null) {
            throw ProblemException.notFound("remediation", id);
        }
        return r;
    }

    private Remediation getLocked(String id) {
        Remediation r = get(id);
        locks.lock(r.tenantId);
        em.refresh(r);
        return r;
    }

    @Transactional
    public List<Remediation> list(String tenantId, String status, int limit) {
        String tenant = Check.guid("tenantId", tenantId);
        if (em.find(Tenant.class, tenant) == null) {
            throw ProblemException.notFound("tenant", tenantId);
        }
        Status s = status == null || status.isBlank() ? null : Check.oneOf("status", status, Status.class);
        jakarta.persistence.TypedQuery<Remediation> q = em.createQuery("from Remediation r where r.tenantId = :t"
                + (s == null ? "" : " and r.status = :s") + " order by r.requestedAt desc, r.id", Remediation.class)
                .setParameter("t", tenant);
        if (s != null) {
            q.setParameter("s", s.name());
        }
        return q.setMaxResults(limit).getResultList();
    }

    @Transactional
    public List<AuditEvent> history(UUID id) {
        return em.createQuery("from AuditEvent where subjectType = 'remediation' and subjectId = :id order by seq",
                AuditEvent.class).setParameter("id", id.toString()).getResultList();
    }

    /**
     * Approves a planned removal (→ APPLYING, an APPLY request with the plan and the state it expects) or a planned
     * rollback (→ ROLLING_BACK, a ROLLBACK request expecting what the removal left). Not by whoever asked for it.
     */
    @Transactional
    public Remediation approve(String id, String notes, String actor) {
        Remediation r = getLocked(id);
        Instant now = Instant.now();
        String note = Check.maxLength("notes", notes, 4000);
        if (r.is(Status.PLANNED)) {
            RemediationRules.checkMayApprove(r.requestedBy, actor, "removal");
            approveRemoval(r, em.find(Tenant.class, r.tenantId), actor, note, now);
        } else if (r.is(Status.ROLLBACK_PLANNED)) {
            RemediationRules.checkMayApprove(r.rollbackRequestedBy, actor, "rollback");
            r.status = Status.ROLLING_BACK.name();
            r.rollbackApprovedBy = actor;
            r.rollbackApprovedAt = now;
            r.failureReason = null;
            r.failureMessage = null;
            RemediationPlan plan = planOf(r);
            UUID requestId = request(r, null, em.find(Tenant.class, r.tenantId), RemediationMode.ROLLBACK, plan,
                    r.modifiedAfter, node(r.usersAfter), actor, protectedIds(r.tenantId), now);
            Map<String, Object> details = describe(r);
            details.put("requestId", requestId.toString());
            details.put("expectedModifiedDateTime", r.modifiedAfter);
            details.put("expectedUsers", node(r.usersAfter));
            if (note != null) {
                details.put("notes", note);
            }
            audit.append(r.tenantId, actor, "REMEDIATION_ROLLBACK_APPROVED", "remediation", r.id, details);
        } else {
            throw ProblemException.conflict("remediation " + r.id + " is " + r.status
                    + ": only PLANNED removals and ROLLBACK_PLANNED rollbacks are approved");
        }
        r.updatedAt = now;
        return r;
    }

    private void approveRemoval(Remediation r, Tenant t, String actor, String note, Instant now) {
        RemediationPlan plan = planOf(r);
        r.status = Status.APPLYING.name();
        r.approvedBy = actor;
        r.approvedAt = now;
        r.failureReason = null;
        r.failureMessage = null;
        UUID requestId = request(r, null, t, RemediationMode.APPLY, plan, plan.policyModifiedDateTime(),
                plan.usersBefore(), actor, protectedIds(r.tenantId), now);
        Map<String, Object> details = describe(r);
        details.put("requestId", requestId.toString());
        details.put("planKind", plan.kind().name());
        if (plan.patchBody() != null) {
            details.put("patchBody", plan.patchBody());
        }
        details.put("expectedModifiedDateTime", plan.policyModifiedDateTime());
        if (note != null && !note.isBlank()) {
            details.put("notes", note);
        }
        audit.append(r.tenantId, actor, "REMEDIATION_APPROVED", "remediation", r.id, details);
    }

    /** Rejects a planned removal (→ REJECTED) or a planned rollback (→ back to APPLIED or CONFIRMED), with the reason. */
    @Transactional
    public Remediation reject(String id, String reason, String actor) {
        String why = Check.maxLength("reason", Check.required("reason", reason), 4000);
        if (why.isBlank()) {
            throw ProblemException.invalid("reason", "reason must not be blank");
        }
        Remediation r = getLocked(id);
        Instant now = Instant.now();
        Map<String, Object> details = describe(r);
        details.put("reason", why);
        if (r.is(Status.PLANNED) || r.is(Status.MANUAL)) {
            r.status = Status.REJECTED.name();
            audit.append(r.tenantId, actor, "REMEDIATION_REJECTED", "remediation", r.id, details);
        } else if (r.is(Status.ROLLBACK_PLANNED)) {
            r.status = RemediationRules.afterFailedRollback(r.confirmedAt).name();
            audit.append(r.tenantId, actor, "REMEDIATION_ROLLBACK_REJECTED", "remediation", r.id, details);
        } else {
            throw ProblemException.conflict("remediation " + r.id + " is " + r.status
                    + ": only PLANNED, MANUAL or ROLLBACK_PLANNED ones can be rejected");
        }
        r.updatedAt = now;
        return r;
    }

    /** Asks for the rollback of an applied removal (→ ROLLBACK_PLANNED, requested by the caller; another approves). */
    @Transactional
    public Remediation rollback(String id, String reason, String actor) {
        String why = Check.maxLength("reason", reason, 4000);
        Remediation r = getLocked(id);
        if (!(r.is(Status.APPLIED) || r.is(Status.CONFIRMED))) {
            throw ProblemException.conflict("remediation " + r.id + " is " + r.status
                    + ": only an APPLIED or CONFIRMED removal can be rolled back");
        }
        if (!(PlanKind.EXCLUDE_LIST.name().equals(r.planKind) || PlanKind.GROUP_MEMBERSHIP.name().equals(r.planKind))) {
            throw ProblemException.conflict("remediation " + r.id + " was a " + r.planKind + " change the register did not"
                    + " write: it cannot roll it back");
        }
        Long open = em.createQuery("select count(o) from Remediation o where o.exclusionId = :e and o.id <> :id"
                        + " and o.status in :open", Long.class)
                .setParameter("e", r.exclusionId).setParameter("id", r.id)
                .setParameter("open", Status.OPEN.stream().map(Enum::name).toList()).getSingleResult();
        if (open > 0) {
            throw ProblemException.conflict("another remediation of exclusion " + r.exclusionId + " is under way");
        }
        Instant now = Instant.now();
        r.status = Status.ROLLBACK_PLANNED.name();
        r.rollbackRequestedBy = actor;
        r.rollbackRequestedAt = now;
        r.rollbackApprovedBy = null;
        r.rollbackApprovedAt = null;
        r.updatedAt = now;
        Map<String, Object> details = describe(r);
        details.put("readd", planOf(r).removedId());
        details.put("listName", r.listName);
        details.put("expectedModifiedDateTime", r.modifiedAfter);
        if (why != null && !why.isBlank()) {
            details.put("reason", why);
        }
        audit.append(r.tenantId, actor, "REMEDIATION_ROLLBACK_REQUESTED", "remediation", r.id, details);
        return r;
    }

    // --- Helpers ------------------------------------------------------------------------------------------------

    /** The plan stored with a remediation (null before the dry run's answer). */
    public static RemediationPlan planOf(Remediation r) {
        if (r.plan == null) {
            return null;
        }
        try {
            return EventCodec.get().mapper().readValue(r.plan, RemediationPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("remediation " + r.id + " has an unreadable plan", e);
        }
    }

    public static JsonNode node(String json) {
        if (json == null) {
            return null;
        }
        try {
            return EventCodec.get().mapper().readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String json(Object value) {
        try {
            return EventCodec.get().mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrincipalType principalType(String name) {
        try {
            return PrincipalType.valueOf(name);
        } catch (IllegalArgumentException e) {
            return PrincipalType.UNKNOWN;
        }
    }

    /** The route as last detected, rebuilt from the exclusion's columns (hop names from its readable path). */
    static Via via(Exclusion e, Remediation r) {
        ViaKind kind = viaKind(e != null ? e.viaKind : r.viaKind, ViaKind.DIRECT);
        String id = e != null && e.viaId != null ? e.viaId : r.principalId;
        if (e == null || e.viaPathIds == null || e.viaPathIds.isBlank()) {
            return new Via(kind, id, e == null ? null : e.viaDisplayName, List.of());
        }
        String[] ids = e.viaPathIds.trim().split(" +");
        String[] labels = e.viaPath == null ? new String[0] : e.viaPath.split(" > ");
        List<PathStep> path = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            String label = labels.length == ids.length ? labels[i] : null;
            int colon = label == null ? -1 : label.indexOf(':');
            ViaKind stepKind = colon < 0 ? kind
                    : viaKind(label.substring(0, colon).toUpperCase(Locale.ROOT).replace('-', '_'), kind);
            String name = colon < 0 ? null : label.substring(colon + 1);
            path.add(new PathStep(stepKind, ids[i], name == null || name.equals(ids[i]) ? null : name));
        }
        return new Via(kind, id, e.viaDisplayName, path);
    }

    private static ViaKind viaKind(String name, ViaKind fallback) {
        try {
            return name == null ? fallback : ViaKind.valueOf(name);
        } catch (IllegalArgumentException ex) {
            return fallback;
        }
    }

    private static Map<String, Object> describe(Remediation r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", r.status);
        d.put("reason", r.reason);
        d.put("exclusionId", r.exclusionId.toString());
        if (r.exceptionId != null) {
            d.put("exceptionId", r.exceptionId.toString());
        }
        d.put("policyId", r.policyId);
        d.put("principal", r.principalType + ":" + r.principalId);
        d.put("path", r.viaPath);
        return d;
    }
}
