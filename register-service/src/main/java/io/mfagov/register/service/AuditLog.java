package io.mfagov.register.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mfagov.model.EventCodec;
import io.mfagov.register.entity.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The append-only, hash-chained audit trail. Rows are only ever inserted (the database refuses
 * UPDATE, DELETE and TRUNCATE); each carries the SHA-256 of its content and of the previous row's
 * hash. Appends take a transaction-scoped advisory lock so the chain has one order.
 */
@ApplicationScoped
public class AuditLog {

    /** Genesis: the previous hash of the first row. */
    public static final String GENESIS = "0".repeat(64);
    private static final long CHAIN_LOCK = 0x6d666167_61756469L; // "mfagaudi"

    private final EntityManager em;

    public AuditLog(EntityManager em) {
        this.em = em;
    }

    /**
     * Takes the chain's lock now (appends take it anyway; it is held until the transaction ends). Paths that write
     * tenant rows take it before them, so that every transaction takes the locks in one order (tenant advisory locks,
     * then this, then rows) and none waits for a row while holding this against one that waits for this.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockChain() {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1)) l").setParameter(1, CHAIN_LOCK)
                .getSingleResult();
    }

    /** Appends one row in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String tenantId, String actor, String action, String subjectType, Object subjectId,
            Map<String, ?> details) {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1)) l").setParameter(1, CHAIN_LOCK)
                .getSingleResult();
        @SuppressWarnings("unchecked")
        List<String> last = em.createNativeQuery("select hash from audit_event order by seq desc limit 1")
                .getResultList();
        String prev = last.isEmpty() ? GENESIS : last.get(0);
        long seq = ((Number) em.createNativeQuery("select nextval('audit_event_seq')").getSingleResult()).longValue();
        UUID id = UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String json = json(details);
        String subject = String.valueOf(subjectId);
        String hash = hash(seq, id, at, tenantId, actor, action, subjectType, subject, json, prev);
        em.createNativeQuery("insert into audit_event (seq, id, occurred_at, tenant_id, actor, action, subject_type,"
                        + " subject_id, details, prev_hash, hash) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
                .setParameter(1, seq).setParameter(2, id).setParameter(3, at).setParameter(4, tenantId)
                .setParameter(5, actor).setParameter(6, action).setParameter(7, subjectType)
                .setParameter(8, subject).setParameter(9, json).setParameter(10, prev).setParameter(11, hash)
                .executeUpdate();
    }

    /** One row to append with {@link #appendAll}; details are serialised when appended. */
    public record Entry(String tenantId, String actor, String action, String subjectType, Object subjectId,
            Map<String, ?> details) {
    }

    /**
     * Appends many rows in the caller's transaction with one lock, one read of the chain's head, one
     * sequence call and one insert: the same rows {@link #append} would write one by one, in order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        int n = entries.size();
        em.unwrap(Session.class).doWork(c -> {
            String prev;
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                ps.setLong(1, CHAIN_LOCK);
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = c.prepareStatement("select hash from audit_event order by seq desc limit 1");
                    ResultSet rs = ps.executeQuery()) {
                prev = rs.next() ? rs.getString(1) : GENESIS;
            }
            List<Long> seqs = new ArrayList<>(n);
            try (PreparedStatement ps = c.prepareStatement("select nextval('audit_event_seq') from generate_series(1, ?)")) {
                ps.setInt(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                    }
                }
            }
            seqs.sort(null);
            String[] seq = new String[n];
            String[] id = new String[n];
            String[] at = new String[n];
            String[] tenant = new String[n];
            String[] actor = new String[n];
            String[] action = new String[n];
            String[] subjectType = new String[n];
            String[] subject = new String[n];
            String[] details = new String[n];
            String[] prevHash = new String[n];
            String[] hash = new String[n];
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            int i = 0;
            for (Entry e : entries) {
                UUID rowId = UUID.randomUUID();
                String json = json(e.details());
                String subjectId = String.valueOf(e.subjectId());
                String h = hash(seqs.get(i), rowId, now, e.tenantId(), e.actor(), e.action(), e.subjectType(), subjectId,
                        json, prev);
                seq[i] = Long.toString(seqs.get(i));
                id[i] = rowId.toString();
                at[i] = now.toString();
                tenant[i] = e.tenantId();
                actor[i] = e.actor();
                action[i] = e.action();
                subjectType[i] = e.subjectType();
                subject[i] = subjectId;
                details[i] = json;
                prevHash[i] = prev;
                hash[i] = h;
                prev = h;
                i++;
            }
            try (PreparedStatement ps = c.prepareStatement("insert into audit_event (seq, id, occurred_at, tenant_id, actor,"
                    + " action, subject_type, subject_id, details, prev_hash, hash) select * from unnest(?::bigint[],"
                    + " ?::uuid[], ?::timestamptz[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                    + " ?::text[], ?::varchar[], ?::varchar[])")) {
                ps.setArray(1, c.createArrayOf("varchar", seq));
                ps.setArray(2, c.createArrayOf("varchar", id));
                ps.setArray(3, c.createArrayOf("varchar", at));
                ps.setArray(4, c.createArrayOf("varchar", tenant));
                ps.setArray(5, c.createArrayOf("varchar", actor));
                ps.setArray(6, c.createArrayOf("varchar", action));
                ps.setArray(7, c.createArrayOf("varchar", subjectType));
                ps.setArray(8, c.createArrayOf("varchar", subject));
                ps.setArray(9, c.createArrayOf("text", details));
                ps.setArray(10, c.createArrayOf("varchar", prevHash));
                ps.setArray(11, c.createArrayOf("varchar", hash));
                ps.executeUpdate();
            }
        });
    }

    /** Result of checking the chain: ok, or the first row whose hash or link does not match. */
    public record Verification(boolean ok, long rowsChecked, Long firstBrokenSeq, UUID firstBrokenId, String reason) {
    }

    /** Walks the whole chain in order and recomputes every hash. */
    @Transactional
    public Verification verify() {
        String prev = GENESIS;
        long checked = 0;
        long after = Long.MIN_VALUE;
        while (true) {
            List<AuditEvent> page = em.createQuery("from AuditEvent where seq > :after order by seq", AuditEvent.class)
                    .setParameter("after", after).setMaxResults(1000).getResultList();
            if (page.isEmpty()) {
                return new Verification(true, checked, null, null, null);
            }
            for (AuditEvent e : page) {
                checked++;
                if (!prev.equals(e.prevHash)) {
                    return new Verification(false, checked, e.seq, e.id, "prev_hash does not match the previous row's hash");
                }
                String expected = hash(e.seq, e.id, e.occurredAt, e.tenantId, e.actor, e.action, e.subjectType,
                        e.subjectId, e.details, e.prevHash);
                if (!expected.equals(e.hash)) {
                    return new Verification(false, checked, e.seq, e.id, "content does not match its hash (row altered)");
                }
                prev = e.hash;
                after = e.seq;
            }
            em.clear();
        }
    }

    static String hash(long seq, UUID id, Instant at, String tenantId, String actor, String action,
            String subjectType, String subjectId, String details, String prev) {
        String canonical = String.join("\n", Long.toString(seq), id.toString(),
                at.truncatedTo(ChronoUnit.MICROS).toString(), tenantId == null ? "" : tenantId, actor, action,
                subjectType, subjectId, details, prev);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, ?> details) {
        try {
            return EventCodec.get().mapper().writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
