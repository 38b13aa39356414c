package io.mfagov.register.service;

import io.mfagov.model.events.PrincipalType;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.AuditEvent;
import io.mfagov.register.entity.ExceptionPrincipal;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.ExceptionRecord.Status;
import io.mfagov.register.api.ExceptionInputs;
import io.mfagov.support.auth.CurrentActor;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The exception workflow: request → approve (four eyes, by the category's approver role) or reject
 * → active until expiry; renew (a new request, approved again), revoke, review. Every transition
 * is audited with its actor and re-reconciles the tenant's exclusions.
 */
@ApplicationScoped
public class ExceptionService {

    private final EntityManager em;
    private final AuditLog audit;
    private final Reconciler reconciler;
    private final RegisterConfig config;
    private final TenantLocks locks;

    public ExceptionService(EntityManager em, AuditLog audit, Reconciler reconciler, RegisterConfig config,
            TenantLocks locks) {
        this.em = em;
        this.locks = locks;
        this.audit = audit;
        this.reconciler = reconciler;
        this.config = config;
    }

    @Transactional
    public ExceptionRecord get(String id) {
        ExceptionRecord x = em.find(ExceptionRecord.class, Check.uuid("id", id));
        if (x == null) {
            throw ProblemException.notFound("exception", id);
        }
        return x;
    }

    /**
     * The exception, read again once its tenant's lock is held (a state change made meanwhile by someone else is seen,
     * and reconciliation of the tenant waits for this transaction).
     */
    private ExceptionRecord getLocked(String id) {
        ExceptionRecord x = get(id);
        locks.lock(x.tenantId);
        em.refresh(x);
        return x;
    }

    @Transactional
    public List<AuditEvent> history(UUID id) {
        return em.createQuery("from AuditEvent where subjectId = :id order by seq", AuditEvent.class)
                .setParameter("id", id.toString()).getResultList();
    }

    @Transactional
    public ExceptionRecord request(ExceptionInputs.Request in, CurrentActor actor) {
        Check.required("body", in);
        Instant now = Instant.now();
        ExceptionRecord x = new ExceptionRecord();
        x.id = UUID.randomUUID();
        x.tenantId = Check.guid("tenantId", in.tenantId());
        if (em.find(io.mfagov.register.entity.Tenant.class, x.tenantId) == null) {
            throw ProblemException.invalid("tenantId", "tenant " + x.tenantId + " is not in the register");
        }
        if (in.principals() == null || in.principals().isEmpty()) {
            throw ProblemException.invalid("principals", "principals must name at least one principal");
        }
        if (in.principals().size() > 100) {
            throw ProblemException.invalid("principals", "principals may name at most 100 principals");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < in.principals().size(); i++) {
            ExceptionInputs.PrincipalInput p = in.principals().get(i);
            String field = "principals[" + i + "]";
            Check.required(field, p);
            PrincipalType type = Check.required(field + ".type", p.type());
            if (type == PrincipalType.UNKNOWN) {
                throw ProblemException.invalid(field + ".type", "'UNKNOWN' is not a principal type");
            }
            String pid = namedByText(type)
                    ? Check.maxLength(field + ".id", Check.required(field + ".id", p.id()), 256)
                    : Check.guid(field + ".id", p.id());
            if (seen.add(pid)) {
                x.principals.add(new ExceptionPrincipal(pid, type.name(), Check.maxLength(field + ".displayName", p.displayName(), 512)));
            }
        }
        x.policyId = in.policyId() == null || in.policyId().isBlank() ? null : Check.guid("policyId", in.policyId());
        String categoryName = Check.required("category", in.category()).trim().toUpperCase(java.util.Locale.ROOT);
        RegisterConfig.Category category = category("category", categoryName);
        x.category = categoryName;
        x.justification = justification("justification", in.justification());
        x.ticketRef = ExceptionRules.ticket(category, categoryName, in.ticketRef());
        x.expiresAt = ExceptionRules.expiry(category, categoryName, in.expiresAt(), now);
        x.status = Status.REQUESTED.name();
        x.requestedBy = actor.name();
        x.requestedAt = now;
        locks.lock(x.tenantId);
        em.persist(x);
        audit.append(x.tenantId, actor.name(), "EXCEPTION_REQUESTED", "exception", x.id, describe(x));
        reconciler.refreshTenant(x.tenantId, actor.name(), now, null);
        return x;
    }

    @Transactional
    public ExceptionRecord approve(String id, ExceptionInputs.Approval in, CurrentActor actor) {
        ExceptionRecord x = getLocked(id);
        ExceptionRules.requireStatus(x, "approve", Status.REQUESTED);
        Instant now = Instant.now();
        RegisterConfig.Category category = category(null, x.category);
        ExceptionRules.checkMayApprove(x, category, actor.name(), actor::hasRole, now);
        String notes = in == null ? null : Check.maxLength("notes", in.notes(), 4000);
        x.status = Status.APPROVED.name();
        x.approvedBy = actor.name();
        x.approvedAt = now;
        x.nextReviewAt = ExceptionRules.firstReviewAt(category, now, x.expiresAt);
        if (notes != null && !notes.isBlank()) {
            x.reviewerNotes = notes;
        }
        if (x.renewalOf != null) {
            ExceptionRecord previous = em.find(ExceptionRecord.class, x.renewalOf);
            if (previous != null && (previous.is(Status.APPROVED) || previous.is(Status.EXPIRED))) {
                previous.status = Status.SUPERSEDED.name();
                audit.append(previous.tenantId, actor.name(), "EXCEPTION_SUPERSEDED", "exception", previous.id,
                        Map.of("by", x.id.toString()));
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("expiresAt", x.expiresAt.toString());
        details.put("nextReviewAt", String.valueOf(x.nextReviewAt));
        details.put("notes", notes);
        audit.append(x.tenantId, actor.name(), "EXCEPTION_APPROVED", "exception", x.id, details);
        reconciler.refreshTenant(x.tenantId, actor.name(), now, null);
        return x;
    }

    @Transactional
    public ExceptionRecord reject(String id, ExceptionInputs.Decision in, CurrentActor actor) {
        String reason = justification("reason", in == null ? null : in.reason());
        ExceptionRecord x = getLocked(id);
        ExceptionRules.requireStatus(x, "reject", Status.REQUESTED);
        ExceptionRules.checkMayReject(x, actor.name());
        return decide(x, Status.REJECTED, reason, actor, "EXCEPTION_REJECTED");
    }

    @Transactional
    public ExceptionRecord revoke(String id, ExceptionInputs.Decision in, CurrentActor actor) {
        String reason = justification("reason", in == null ? null : in.reason());
        ExceptionRecord x = getLocked(id);
        ExceptionRules.requireStatus(x, "revoke", Status.REQUESTED, Status.APPROVED);
        return decide(x, Status.REVOKED, reason, actor, "EXCEPTION_REVOKED");
    }

    private ExceptionRecord decide(ExceptionRecord x, Status to, String reason, CurrentActor actor, String action) {
        Instant now = Instant.now();
        x.status = to.name();
        x.decidedBy = actor.name();
        x.decidedAt = now;
        x.decisionReason = reason;
        audit.append(x.tenantId, actor.name(), action, "exception", x.id, Map.of("reason", reason));
        reconciler.refreshTenant(x.tenantId, actor.name(), now, null);
        return x;
    }

    /** A renewal is a new request for the same principals and scope, linked to the old one, approved again. */
    @Transactional
    public ExceptionRecord renew(String id, ExceptionInputs.Renewal in, CurrentActor actor) {
        ExceptionRecord old = getLocked(id);
        Check.required("body", in);
        ExceptionRules.requireStatus(old, "renew", Status.APPROVED, Status.EXPIRED);
        Long pending = em.createQuery("select count(x) from ExceptionRecord x where x.renewalOf = :id and x.status = 'REQUESTED'", Long.class)
                .setParameter("id", old.id).getSingleResult();
        if (pending > 0) {
            throw ProblemException.conflict("a renewal of exception " + old.id + " is already waiting for approval");
        }
        Instant now = Instant.now();
        RegisterConfig.Category category = category(null, old.category);
        ExceptionRecord x = new ExceptionRecord();
        x.id = UUID.randomUUID();
        x.tenantId = old.tenantId;
        x.policyId = old.policyId;
        x.category = old.category;
        old.principals.forEach(p -> x.principals.add(new ExceptionPrincipal(p.principalId, p.principalType, p.displayName)));
        x.justification = in.justification() == null ? old.justification : justification("justification", in.justification());
        x.ticketRef = ExceptionRules.ticket(category, old.category, in.ticketRef() == null ? old.ticketRef : in.ticketRef());
        x.expiresAt = ExceptionRules.expiry(category, old.category, in.expiresAt(), now);
        x.status = Status.REQUESTED.name();
        x.requestedBy = actor.name();
        x.requestedAt = now;
        x.renewalOf = old.id;
        em.persist(x);
        audit.append(x.tenantId, actor.name(), "EXCEPTION_RENEWAL_REQUESTED", "exception", x.id,
                Map.of("renewalOf", old.id.toString(), "expiresAt", x.expiresAt.toString()));
        audit.append(old.tenantId, actor.name(), "EXCEPTION_RENEWAL_REQUESTED", "exception", old.id,
                Map.of("renewal", x.id.toString()));
        reconciler.refreshTenant(x.tenantId, actor.name(), now, null);
        return x;
    }

    @Transactional
    public ExceptionRecord review(String id, ExceptionInputs.Review in, CurrentActor actor) {
        Check.required("body", in);
        String notes = justification("notes", in.notes());
        ExceptionRecord x = getLocked(id);
        ExceptionRules.requireStatus(x, "review", Status.APPROVED);
        Instant now = Instant.now();
        RegisterConfig.Category category = category(null, x.category);
        Instant next = ExceptionRules.nextReviewAt(category, in.nextReviewAt(), now, x.expiresAt);
        x.lastReviewedBy = actor.name();
        x.lastReviewedAt = now;
        x.reviewerNotes = notes;
        x.nextReviewAt = next;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("notes", notes);
        details.put("nextReviewAt", String.valueOf(x.nextReviewAt));
        audit.append(x.tenantId, actor.name(), "EXCEPTION_REVIEWED", "exception", x.id, details);
        return x;
    }

    @Transactional
    public List<ExceptionRecord> list(String tenantId, String status, String category, String principalId,
            boolean reviewsDue, int limit) {
        StringBuilder q = new StringBuilder("select distinct x from ExceptionRecord x left join x.principals p where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (tenantId != null) {
            q.append(" and x.tenantId = :tenant");
            params.put("tenant", Check.guid("tenantId", tenantId));
        }
        if (status != null) {
            q.append(" and x.status = :status");
            params.put("status", Check.oneOf("status", status, Status.class).name());
        }
        if (category != null) {
            String name = category.trim().toUpperCase(java.util.Locale.ROOT);
            category("category", name);
            q.append(" and x.category = :category");
            params.put("category", name);
        }
        if (principalId != null) {
            q.append(" and p.principalId = :principal");
            params.put("principal", Check.maxLength("principalId", principalId, 256));
        }
        if (reviewsDue) {
            q.append(" and x.status = 'APPROVED' and x.nextReviewAt <= :now");
            params.put("now", Instant.now());
        }
        q.append(" order by x.requestedAt desc");
        var query = em.createQuery(q.toString(), ExceptionRecord.class).setMaxResults(limit);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    private RegisterConfig.Category category(String field, String name) {
        RegisterConfig.Category category = config.categories().get(name);
        if (category == null) {
            if (field == null) {
                throw new IllegalStateException("category " + name + " is no longer configured");
            }
            throw ProblemException.invalid(field, "'" + name + "' is not one of " + new TreeSet<>(config.categories().keySet()));
        }
        return category;
    }

    /**
     * Principals named by text rather than a GUID: guest rules (the rule's name), the holes of a policy itself,
     * named as the scanner names them ({@code platform:linux}, {@code clientAppType:other},
     * {@code grant:compliantDevice}), so a hole can be approved like any exclusion, and applications and locations,
     * which Entra also names by literal ({@code Office365}, {@code MicrosoftAdminPortals}, {@code AllTrusted}) or the
     * scanner by hole ({@code locations:notIncluded}). Directory objects (users, groups, roles, service principals)
     * are GUIDs.
     */
    static boolean namedByText(PrincipalType type) {
        return switch (type) {
            case GUEST_RULE, GRANT_ALTERNATIVE, PLATFORM, CLIENT_APP_TYPE, DEVICE_FILTER, RISK_CONDITION, CONDITION,
                    CUSTOM_CONTROL, APPLICATION, LOCATION -> true;
            case USER, GROUP, ROLE, SERVICE_PRINCIPAL, DIRECTORY_OBJECT, UNKNOWN -> false;
        };
    }

    private static String justification(String field, String value) {
        return Check.maxLength(field, Check.required(field, value).trim(), 4000);
    }

    private static Map<String, Object> describe(ExceptionRecord x) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("policyId", x.policyId);
        d.put("category", x.category);
        d.put("principals", x.principals.stream().map(p -> p.principalType + ":" + p.principalId).toList());
        d.put("justification", x.justification);
        d.put("expiresAt", x.expiresAt.toString());
        d.put("ticketRef", x.ticketRef);
        return d;
    }
}
