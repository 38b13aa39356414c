package io.mfagov.model;

import java.time.Instant;
import java.util.UUID;

/**
 * What every mfagov Kafka record carries as its value. {@code eventType} and {@code schemaVersion}
 * are repeated as Kafka headers ({@link EventHeaders}); the record key is {@code tenantId}.
 *
 * @param eventId       unique per event; consumers record it to process each event once
 * @param eventType     wire name of the payload type, e.g. {@code ExclusionDetected}
 * @param schemaVersion version of the payload schema
 * @param occurredAt    when the producer created the event
 * @param tenantId      the Entra tenant (GUID) the event concerns; also the record key
 * @param correlationId ties events together (the scan id where there is one)
 * @param payload       the event body
 */
public record EventEnvelope<T extends EventPayload>(
        UUID eventId,
        String eventType,
        int schemaVersion,
        Instant occurredAt,
        String tenantId,
        String correlationId,
        T payload) {

    public EventEnvelope {
        Require.present(eventId, "eventId");
        Require.text(eventType, "eventType");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be 1 or more");
        }
        Require.present(occurredAt, "occurredAt");
        Require.text(tenantId, "tenantId");
        Require.present(payload, "payload");
        if (!tenantId.equals(payload.tenantId())) {
            throw new IllegalArgumentException("tenantId of the envelope and of the payload differ");
        }
    }

    /** A new envelope for a payload: a fresh event id, now, the payload's type and current schema version. */
    public static <T extends EventPayload> EventEnvelope<T> wrap(T payload, Instant occurredAt) {
        EventType type = EventType.of(payload);
        return new EventEnvelope<>(UUID.randomUUID(), type.wireName(), type.schemaVersion(), occurredAt,
                payload.tenantId(), payload.correlationId(), payload);
    }

    /** The same payload under a given event id (for deterministic ids, e.g. from an outbox row). */
    public static <T extends EventPayload> EventEnvelope<T> wrap(UUID eventId, T payload, Instant occurredAt) {
        EventType type = EventType.of(payload);
        return new EventEnvelope<>(eventId, type.wireName(), type.schemaVersion(), occurredAt,
                payload.tenantId(), payload.correlationId(), payload);
    }

    /** The Kafka record key. */
    public String key() {
        return tenantId;
    }

    public EventType type() {
        return EventType.fromWireName(eventType).orElseThrow();
    }
}
