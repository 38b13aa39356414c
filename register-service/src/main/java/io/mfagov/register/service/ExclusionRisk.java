package io.mfagov.register.service;

import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.repository.GapSignalReads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The risk score and the evidence of use of exclusions, from the register's latest signals of their tenant: the latest
 * scan with gap signals (NOT_REGISTERED/NOT_CAPABLE users, privileged users, usage rows) and the latest coverage
 * (uncovered and privileged users). The formula is {@link RiskScore}'s.
 */
@ApplicationScoped
public class ExclusionRisk {

    private final EntityManager em;

    public ExclusionRisk(EntityManager em) {
        this.em = em;
    }

    /** What the register knows about a tenant's users from its latest signals (user ids in lower case). */
    public record Facts(Map<String, GapSignalReads.Usage> usage, Set<String> notRegistered, Set<String> privileged,
            Set<String> uncovered) {

        public static final Facts NONE = new Facts(Map.of(), Set.of(), Set.of(), Set.of());
    }

    /** An exclusion's score, its factors and its evidence of use (null when none / not read). */
    public record Assessment(RiskScore.Result risk, GapSignalReads.Usage usage) {
    }

    /** The tenant's facts (tenant id in lower case), read in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Facts facts(String tenantId) {
        Set<String> notRegistered = new HashSet<>();
        Set<String> privileged = new HashSet<>();
        Set<String> uncovered = new HashSet<>();
        Map<String, GapSignalReads.Usage> usage = Map.of();
        var latest = GapSignalReads.latestScan(em, tenantId);
        if (latest.isPresent()) {
            UUID scan = latest.get().scanId();
            usage = GapSignalReads.usage(em, tenantId, scan);
            for (Object o : em.createNativeQuery("select user_id, kind, privileged from mfa_gap where tenant_id = :t"
                    + " and scan_id = :s and (privileged or kind in ('NOT_REGISTERED', 'NOT_CAPABLE'))")
                    .setParameter("t", tenantId).setParameter("s", scan).getResultList()) {
                Object[] r = (Object[]) o;
                String user = ((String) r[0]).toLowerCase(Locale.ROOT);
                if ("NOT_REGISTERED".equals(r[1]) || "NOT_CAPABLE".equals(r[1])) {
                    notRegistered.add(user);
                }
                if (Boolean.TRUE.equals(r[2])) {
                    privileged.add(user);
                }
            }
        }
        for (Object o : em.createNativeQuery("select u.user_id, u.privileged from uncovered_user u where u.scan_id ="
                        + " (select scan_id from coverage where tenant_id = :t order by observed_at desc, received_at desc"
                        + " limit 1)")
                .setParameter("t", tenantId).getResultList()) {
            Object[] r = (Object[]) o;
            String user = ((String) r[0]).toLowerCase(Locale.ROOT);
            uncovered.add(user);
            if (Boolean.TRUE.equals(r[1])) {
                privileged.add(user);
            }
        }
        return new Facts(usage, notRegistered, privileged, uncovered);
    }

    /** The facts of each tenant of {@code exclusions}, read once per tenant. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<UUID, Assessment> assessAll(Collection<Exclusion> exclusions, Instant now) {
        Map<String, Facts> facts = new HashMap<>();
        Map<UUID, Assessment> out = new HashMap<>();
        for (Exclusion e : exclusions) {
            Facts f = facts.computeIfAbsent(e.tenantId, this::facts);
            out.put(e.id, assess(f, e, now));
        }
        return out;
    }

    public static Assessment assess(Facts f, Exclusion e, Instant now) {
        return assess(f, new Subject(e.principalType, e.principalId, e.principalUserType, e.accountEnabled, e.viaKind,
                e.inScope, e.closedById, e.removedAt, e.status, e.expiresAt, e.firstSeenAt), now);
    }

    /** The columns of an exclusion the score reads (the CSV export reads them as scalars). */
    public record Subject(String principalType, String principalId, String principalUserType, Boolean accountEnabled,
            String viaKind, Boolean inScope, String closedById, Instant removedAt, String status, Instant expiresAt,
            Instant firstSeenAt) {
    }

    public static Assessment assess(Facts f, Subject s, Instant now) {
        String id = s.principalId() == null ? "" : s.principalId().toLowerCase(Locale.ROOT);
        boolean user = "USER".equals(s.principalType());
        GapSignalReads.Usage usage = s.principalId() == null ? null
                : f.usage().get(GapSignalReads.key(s.principalType(), s.principalId()));
        boolean approved = List.of(ExclusionStatus.APPROVED.name(), ExclusionStatus.EXPIRING.name()).contains(s.status());
        RiskScore.Inputs in = new RiskScore.Inputs(
                s.removedAt() != null || Boolean.FALSE.equals(s.inScope()) || s.closedById() != null,
                "ROLE".equals(s.principalType()) || "ROLE".equals(s.viaKind()) || user && f.privileged().contains(id),
                s.accountEnabled(),
                user && f.notRegistered().contains(id),
                user && f.uncovered().contains(id),
                usage == null ? null : usage.singleFactorSignIns(),
                "GUEST_RULE".equals(s.principalType()) || "Guest".equalsIgnoreCase(s.principalUserType()),
                s.firstSeenAt(), approved, s.expiresAt());
        return new Assessment(RiskScore.of(in, now), usage);
    }
}
