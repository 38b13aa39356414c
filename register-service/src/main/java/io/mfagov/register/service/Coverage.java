package io.mfagov.register.service;

import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.ExceptionPrincipal;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which exception covers an exclusion, and so its status. An exception covers an exclusion of its
 * tenant when it is for the exclusion's policy (or for all policies) and names the excluded
 * principal, what the policy names (e.g. the excluded group), or any group on the path between.
 */
@ApplicationScoped
public class Coverage {

    private final EntityManager em;
    private final RegisterConfig config;

    public Coverage(EntityManager em, RegisterConfig config) {
        this.em = em;
        this.config = config;
    }

    public record Decision(ExclusionStatus status, ExceptionRecord exception) {
    }

    /** The exceptions that can decide a status in a tenant: requested, approved or expired. */
    public List<ExceptionRecord> liveExceptions(String tenantId) {
        return em.createQuery("select distinct x from ExceptionRecord x where x.tenantId = :t and x.status in :s",
                        ExceptionRecord.class)
                .setParameter("t", tenantId)
                .setParameter("s", List.of("REQUESTED", "APPROVED", "EXPIRED"))
                .getResultList();
    }

    /** The live exceptions of several tenants in one query (every tenant asked for is a key). */
    public Map<String, List<ExceptionRecord>> liveExceptions(Collection<String> tenantIds) {
        Map<String, List<ExceptionRecord>> byTenant = new HashMap<>();
        tenantIds.forEach(t -> byTenant.put(t, new ArrayList<>()));
        if (!tenantIds.isEmpty()) {
            em.createQuery("select distinct x from ExceptionRecord x where x.tenantId in :t and x.status in :s",
                            ExceptionRecord.class)
                    .setParameter("t", tenantIds)
                    .setParameter("s", List.of("REQUESTED", "APPROVED", "EXPIRED"))
                    .getResultList()
                    .forEach(x -> byTenant.get(x.tenantId).add(x));
        }
        return byTenant;
    }

    public static boolean covers(ExceptionRecord x, Exclusion e) {
        if (!x.tenantId.equals(e.tenantId) || (x.policyId != null && !x.policyId.equals(e.policyId))) {
            return false;
        }
        Set<String> ids = e.coverableIds();
        for (ExceptionPrincipal p : x.principals) {
            if (ids.contains(p.principalId)) {
                return true;
            }
        }
        return false;
    }

    public Duration warningWindow() {
        return warningWindow(config.lifecycle().warningDays());
    }

    /** The EXPIRING window: the largest of the warning days (14 when none is configured). */
    public static Duration warningWindow(List<Integer> warningDays) {
        return Duration.ofDays(warningDays.stream().max(Integer::compare).orElse(14));
    }

    public Decision decide(Exclusion e, List<ExceptionRecord> exceptions, Instant now) {
        return decide(e, exceptions, now, warningWindow());
    }

    /**
     * The status of an exclusion given the tenant's live exceptions, as of {@code now}: REMOVED once a complete scan no
     * longer saw it; else APPROVED (or EXPIRING within {@code warningWindow} of its expiry) under the covering approved
     * exception that runs longest; else PENDING under the latest covering request; else EXPIRED under the covering
     * exception that expired last; else UNAPPROVED.
     */
    public static Decision decide(Exclusion e, List<ExceptionRecord> exceptions, Instant now, Duration warningWindow) {
        List<ExceptionRecord> covering = exceptions.stream().filter(x -> covers(x, e)).toList();
        Optional<ExceptionRecord> active = covering.stream()
                .filter(x -> x.is(ExceptionRecord.Status.APPROVED) && x.expiresAt.isAfter(now))
                .max(Comparator.comparing(x -> x.expiresAt));
        if (e.removedAt != null) {
            return new Decision(ExclusionStatus.REMOVED, active.orElse(null));
        }
        if (active.isPresent()) {
            boolean expiring = !active.get().expiresAt.isAfter(now.plus(warningWindow));
            return new Decision(expiring ? ExclusionStatus.EXPIRING : ExclusionStatus.APPROVED, active.get());
        }
        Optional<ExceptionRecord> requested = covering.stream().filter(x -> x.is(ExceptionRecord.Status.REQUESTED))
                .max(Comparator.comparing(x -> x.requestedAt));
        if (requested.isPresent()) {
            return new Decision(ExclusionStatus.PENDING, requested.get());
        }
        Optional<ExceptionRecord> expired = covering.stream()
                .filter(x -> x.is(ExceptionRecord.Status.EXPIRED) || x.is(ExceptionRecord.Status.APPROVED))
                .max(Comparator.comparing(x -> x.expiresAt));
        if (expired.isPresent()) {
            return new Decision(ExclusionStatus.EXPIRED, expired.get());
        }
        return new Decision(ExclusionStatus.UNAPPROVED, null);
    }

    /** Applies a decision to the exclusion; returns the previous status when it changed, else null. */
    public static String apply(Exclusion e, Decision d) {
        String before = e.status;
        e.status = d.status().name();
        e.exceptionId = d.exception() == null ? null : d.exception().id;
        e.category = d.exception() == null ? null : d.exception().category;
        e.expiresAt = d.exception() == null ? null : d.exception().expiresAt;
        return d.status().name().equals(before) ? null : (before == null ? "NEW" : before);
    }
}
