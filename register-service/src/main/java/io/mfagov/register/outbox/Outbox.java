package io.mfagov.register.outbox;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Writes events to the outbox in the caller's transaction; {@code OutboxRelay} publishes them after
 * commit. One row per dedup key: an alert whose cause is replayed is not written twice.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;

    public Outbox(EntityManager em) {
        this.em = em;
    }

    /** The event id of a dedup key: the same key always yields the same id. */
    public static UUID eventIdFor(String dedupKey) {
        return UUID.nameUUIDFromBytes(("mfagov-outbox:" + dedupKey).getBytes(StandardCharsets.UTF_8));
    }

    /** An event to write, under its dedup key. */
    public record Pending(String dedupKey, EventPayload payload) {
    }

    /** Returns false when an event with this dedup key was written before (nothing is written). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean enqueue(Pending event, Instant now) {
        return enqueue(event.dedupKey(), event.payload(), now);
    }

    /** Returns false when an event with this dedup key was written before (nothing is written). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean enqueue(String dedupKey, EventPayload payload, Instant now) {
        EventEnvelope<EventPayload> envelope = EventEnvelope.wrap(eventIdFor(dedupKey), payload, now);
        int inserted = em.createNativeQuery("insert into outbox (event_id, dedup_key, topic, message_key, event_type,"
                        + " payload, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict do nothing")
                .setParameter(1, envelope.eventId())
                .setParameter(2, dedupKey)
                .setParameter(3, envelope.type().topic())
                .setParameter(4, envelope.key())
                .setParameter(5, envelope.eventType())
                .setParameter(6, EventCodec.get().encode(envelope))
                .setParameter(7, now)
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * Writes many events in one statement (the first of equal dedup keys wins; keys written before are skipped).
     * Returns how many rows were inserted.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int enqueueAll(Collection<Pending> events, Instant now) {
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, Pending> unique = new LinkedHashMap<>();
        for (Pending p : events) {
            unique.putIfAbsent(p.dedupKey(), p);
        }
        int n = unique.size();
        String[] ids = new String[n];
        String[] keys = new String[n];
        String[] topics = new String[n];
        String[] messageKeys = new String[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        int i = 0;
        for (Pending p : unique.values()) {
            EventEnvelope<EventPayload> envelope = EventEnvelope.wrap(eventIdFor(p.dedupKey()), p.payload(), now);
            ids[i] = envelope.eventId().toString();
            keys[i] = p.dedupKey();
            topics[i] = envelope.type().topic();
            messageKeys[i] = envelope.key();
            types[i] = envelope.eventType();
            payloads[i] = EventCodec.get().encode(envelope);
            i++;
        }
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into outbox (event_id, dedup_key, topic, message_key,"
                    + " event_type, payload, created_at) select u.*, ? from unnest(?::uuid[], ?::varchar[], ?::varchar[],"
                    + " ?::varchar[], ?::varchar[], ?::text[]) as u on conflict do nothing")) {
                ps.setObject(1, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                ps.setArray(2, c.createArrayOf("varchar", ids));
                ps.setArray(3, c.createArrayOf("varchar", keys));
                ps.setArray(4, c.createArrayOf("varchar", topics));
                ps.setArray(5, c.createArrayOf("varchar", messageKeys));
                ps.setArray(6, c.createArrayOf("varchar", types));
                ps.setArray(7, c.createArrayOf("text", payloads));
                return ps.executeUpdate();
            }
        });
    }
}
