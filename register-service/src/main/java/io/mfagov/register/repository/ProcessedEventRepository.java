package io.mfagov.register.repository;

import io.mfagov.register.entity.ProcessedEvent;
import io.mfagov.model.EventEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The inbox of the idempotent consumer ({@link ProcessedEvent}, table {@code processed_event}): which events this
 * service has applied. Written in bulk by JDBC (one statement per batch), in the caller's transaction.
 */
@ApplicationScoped
public class ProcessedEventRepository {

    private final EntityManager em;

    public ProcessedEventRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Records a batch of events as processed in one statement, in the caller's transaction, and returns the ids that
     * were not processed before (an id twice in the batch counts once). Concurrent deliveries: the primary key lets
     * only one transaction commit.
     */
    public Set<UUID> markProcessed(List<? extends EventEnvelope<?>> envelopes) {
        Map<UUID, EventEnvelope<?>> unique = new LinkedHashMap<>();
        for (EventEnvelope<?> envelope : envelopes) {
            unique.putIfAbsent(envelope.eventId(), envelope);
        }
        Set<UUID> fresh = new HashSet<>();
        if (unique.isEmpty()) {
            return fresh;
        }
        int n = unique.size();
        String[] ids = new String[n];
        String[] types = new String[n];
        String[] tenants = new String[n];
        int i = 0;
        for (EventEnvelope<?> envelope : unique.values()) {
            ids[i] = envelope.eventId().toString();
            types[i] = envelope.eventType();
            tenants[i] = envelope.tenantId();
            i++;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into processed_event (event_id, event_type, tenant_id,"
                    + " processed_at) select u.*, ? from unnest(?::uuid[], ?::varchar[], ?::varchar[]) as u"
                    + " on conflict do nothing returning event_id")) {
                ps.setObject(1, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
                ps.setArray(2, c.createArrayOf("varchar", ids));
                ps.setArray(3, c.createArrayOf("varchar", types));
                ps.setArray(4, c.createArrayOf("varchar", tenants));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        fresh.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        });
        return fresh;
    }
}
