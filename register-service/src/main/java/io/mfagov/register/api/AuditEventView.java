package io.mfagov.register.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.model.EventCodec;
import io.mfagov.register.entity.AuditEvent;

import java.time.Instant;
import java.util.UUID;

public record AuditEventView(long seq, UUID id, Instant occurredAt, String tenantId, String actor, String action,
        String subjectType, String subjectId, JsonNode details) {

    public static AuditEventView of(AuditEvent e) {
        JsonNode details;
        try {
            details = EventCodec.get().mapper().readTree(e.details);
        } catch (Exception ex) {
            details = EventCodec.get().mapper().getNodeFactory().textNode(e.details);
        }
        return new AuditEventView(e.seq, e.id, e.occurredAt, e.tenantId, e.actor, e.action, e.subjectType,
                e.subjectId, details);
    }
}
