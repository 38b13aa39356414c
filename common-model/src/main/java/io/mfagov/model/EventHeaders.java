package io.mfagov.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka header names carried by every mfagov record. The same values are inside the envelope; the
 * headers let consumers, DLQ tooling and operators route and filter without parsing the body.
 */
public final class EventHeaders {

    public static final String EVENT_ID = "mfagov-event-id";
    public static final String EVENT_TYPE = "mfagov-event-type";
    public static final String SCHEMA_VERSION = "mfagov-schema-version";
    public static final String CORRELATION_ID = "mfagov-correlation-id";

    private EventHeaders() {
    }

    /** The headers for one envelope, in a stable order. Absent values are left out. */
    public static Map<String, String> of(EventEnvelope<?> envelope) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(EVENT_ID, envelope.eventId().toString());
        headers.put(EVENT_TYPE, envelope.eventType());
        headers.put(SCHEMA_VERSION, Integer.toString(envelope.schemaVersion()));
        if (envelope.correlationId() != null) {
            headers.put(CORRELATION_ID, envelope.correlationId());
        }
        return headers;
    }
}
