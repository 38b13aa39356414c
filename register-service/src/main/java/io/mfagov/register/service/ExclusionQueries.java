package io.mfagov.register.service;

import io.mfagov.register.entity.AuditEvent;
import io.mfagov.register.entity.Exclusion;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Exclusion and audit queries: filters backed by indexes, keyset (cursor) paging, sorting. */
@ApplicationScoped
public class ExclusionQueries {

    private final EntityManager em;
    private final ExclusionRisk risk;

    public ExclusionQueries(EntityManager em, ExclusionRisk risk) {
        this.em = em;
        this.risk = risk;
    }

    public record Filter(String tenantId, List<String> statuses, String category, String policyId, String principalId,
            Integer expiringWithinDays, boolean includeRemoved) {
    }

    /** A page, each item's risk score and evidence of use, and the cursor of the next page (null on the last). */
    public record PageResult(List<Exclusion> items, Map<UUID, ExclusionRisk.Assessment> assessments, String nextCursor) {
    }

    /**
     * A filter checked and turned into JPQL conditions on {@code Exclusion e} (each starting with {@code and}) with
     * their parameters: built while the request can still be answered with problem+json, used later (a streamed export).
     */
    public record Conditions(String jpql, Map<String, Object> params) {
    }

    /** Checks {@code f} (problem+json naming the field when it is wrong) and returns its conditions. */
    public static Conditions conditions(Filter f) {
        StringBuilder q = new StringBuilder();
        Map<String, Object> params = new LinkedHashMap<>();
        where(f, q, params);
        return new Conditions(q.toString(), Map.copyOf(params));
    }

    /**
     * Sort keys: firstSeen (default), lastSeen; prefix '-' for descending; risk (highest score first). Ties broken by
     * id.
     */
    @Transactional
    public PageResult list(Filter f, String sort, String cursor, int limit) {
        String key = sort == null || sort.isBlank() ? "firstSeen" : sort.trim();
        if (key.equals("risk")) {
            return byRisk(f, cursor, limit);
        }
        boolean desc = key.startsWith("-");
        String name = desc ? key.substring(1) : key;
        String column = switch (name) {
            case "firstSeen" -> "firstSeenAt";
            case "lastSeen" -> "lastSeenAt";
            default -> throw ProblemException.invalid("sort",
                    "sort must be firstSeen, lastSeen, -firstSeen, -lastSeen or risk");
        };
        StringBuilder q = new StringBuilder("from Exclusion e where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        where(f, q, params);
        if (cursor != null && !cursor.isBlank()) {
            Object[] c = decodeCursor(cursor, name);
            String op = desc ? "<" : ">";
            // A row-value comparison, so that the index (tenant, status, column, id) starts at the cursor.
            q.append(" and (e.").append(column).append(", e.id) ").append(op).append(" (:cv, :cid)");
            params.put("cv", c[0]);
            params.put("cid", c[1]);
        }
        String dir = desc ? " desc" : " asc";
        q.append(" order by e.").append(column).append(dir).append(", e.id").append(dir);
        TypedQuery<Exclusion> query = em.createQuery(q.toString(), Exclusion.class).setMaxResults(limit + 1);
        params.forEach(query::setParameter);
        List<Exclusion> rows = new ArrayList<>(query.getResultList());
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Exclusion last = rows.get(limit - 1);
            next = encodeCursor(name, "firstSeen".equals(name) ? last.firstSeenAt : last.lastSeenAt, last.id);
        }
        return new PageResult(rows, risk.assessAll(rows, Instant.now()), next);
    }

    /**
     * Highest risk score first, ties by id (as text): every matching exclusion is scored (the score depends on the tenant's
     * latest signals, not on a column), then the page after the cursor (score, id) is cut.
     */
    private PageResult byRisk(Filter f, String cursor, int limit) {
        StringBuilder q = new StringBuilder("from Exclusion e where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        where(f, q, params);
        TypedQuery<Exclusion> query = em.createQuery(q.toString(), Exclusion.class);
        params.forEach(query::setParameter);
        List<Exclusion> all = query.getResultList();
        Map<UUID, ExclusionRisk.Assessment> scores = risk.assessAll(all, Instant.now());
        java.util.function.ToIntFunction<Exclusion> score = e -> scores.get(e.id).risk().score();
        List<Exclusion> sorted = all.stream()
                .sorted(java.util.Comparator.comparingInt(score).reversed().thenComparing(e -> e.id.toString()))
                .toList();
        if (cursor != null && !cursor.isBlank()) {
            Object[] c = decodeCursor(cursor, "risk");
            int cs = (int) ((Instant) c[0]).getEpochSecond();
            UUID cid = (UUID) c[1];
            sorted = sorted.stream().filter(e -> score.applyAsInt(e) < cs
                    || score.applyAsInt(e) == cs && e.id.toString().compareTo(cid.toString()) > 0).toList();
        }
        List<Exclusion> rows = sorted;
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Exclusion last = rows.get(limit - 1);
            next = encodeCursor("risk", Instant.ofEpochSecond(score.applyAsInt(last)), last.id);
        }
        Map<UUID, ExclusionRisk.Assessment> page = new java.util.HashMap<>();
        rows.forEach(e -> page.put(e.id, scores.get(e.id)));
        return new PageResult(List.copyOf(rows), page, next);
    }

    /** One exclusion with its risk score and evidence of use. */
    public record Assessed(Exclusion exclusion, ExclusionRisk.Assessment assessment) {
    }

    @Transactional
    public Assessed getAssessed(String id) {
        Exclusion e = get(id);
        return new Assessed(e, ExclusionRisk.assess(risk.facts(e.tenantId), e, Instant.now()));
    }

    @Transactional
    public Exclusion get(String id) {
        Exclusion e = em.find(Exclusion.class, Check.uuid("id", id));
        if (e == null) {
            throw ProblemException.notFound("exclusion", id);
        }
        return e;
    }

    @Transactional
    public List<AuditEvent> history(UUID subjectId) {
        return em.createQuery("from AuditEvent where subjectId = :id order by seq", AuditEvent.class)
                .setParameter("id", subjectId.toString()).getResultList();
    }

    @Transactional
    public List<AuditEvent> audit(String tenantId, String actor, Instant from, Instant to, Long afterSeq, int limit) {
        StringBuilder q = new StringBuilder("from AuditEvent a where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (tenantId != null) {
            q.append(" and a.tenantId = :t");
            params.put("t", Check.guid("tenantId", tenantId));
        }
        if (actor != null) {
            q.append(" and a.actor = :actor");
            params.put("actor", Check.maxLength("actor", actor, 256));
        }
        if (from != null) {
            q.append(" and a.occurredAt >= :from");
            params.put("from", from);
        }
        if (to != null) {
            q.append(" and a.occurredAt < :to");
            params.put("to", to);
        }
        if (afterSeq != null) {
            q.append(" and a.seq > :after");
            params.put("after", afterSeq);
        }
        q.append(" order by a.seq");
        TypedQuery<AuditEvent> query = em.createQuery(q.toString(), AuditEvent.class).setMaxResults(limit);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    private static void where(Filter f, StringBuilder q, Map<String, Object> params) {
        boolean includeRemoved = f.includeRemoved();
        if (f.tenantId() != null) {
            q.append(" and e.tenantId = :tenant");
            params.put("tenant", Check.guid("tenantId", f.tenantId()));
        }
        if (f.statuses() != null && !f.statuses().isEmpty()) {
            List<String> statuses = f.statuses().stream()
                    .flatMap(s -> java.util.Arrays.stream(s.split(",")))
                    .filter(s -> !s.isBlank())
                    .map(s -> Check.oneOf("status", s, ExclusionStatus.class).name()).toList();
            q.append(" and e.status in :statuses");
            params.put("statuses", statuses);
            includeRemoved |= statuses.contains(ExclusionStatus.REMOVED.name());
        }
        if (f.category() != null) {
            q.append(" and e.category = :category");
            params.put("category", f.category().trim().toUpperCase(Locale.ROOT));
        }
        if (f.policyId() != null) {
            q.append(" and e.policyId = :policy");
            params.put("policy", Check.maxLength("policyId", f.policyId(), 128));
        }
        if (f.principalId() != null) {
            q.append(" and e.principalId = :principal");
            params.put("principal", Check.maxLength("principalId", f.principalId(), 256));
        }
        if (f.expiringWithinDays() != null) {
            int days = Check.range("expiringWithinDays", f.expiringWithinDays(), 0, 3650, 0);
            Instant now = Instant.now();
            q.append(" and e.expiresAt > :now and e.expiresAt <= :until");
            params.put("now", now);
            params.put("until", now.plus(days, ChronoUnit.DAYS));
        }
        if (!includeRemoved) {
            q.append(" and e.removedAt is null");
        }
    }

    private static String encodeCursor(String sort, Instant value, UUID id) {
        String raw = sort + "|" + value.getEpochSecond() + "|" + value.getNano() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Object[] decodeCursor(String cursor, String sort) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 4 || !parts[0].equals(sort)) {
                throw new IllegalArgumentException();
            }
            return new Object[] {Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
                    UUID.fromString(parts[3])};
        } catch (RuntimeException e) {
            throw ProblemException.invalid("cursor", "cursor is not one this API returned for this sort");
        }
    }
}
