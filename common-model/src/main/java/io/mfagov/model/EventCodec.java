package io.mfagov.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * JSON serde of {@link EventEnvelope}s. Reading is lenient where evolution needs it (unknown fields
 * and unknown enum values are accepted) and strict where correctness needs it (required fields,
 * types, tenant ids, schema versions); every refusal is an {@link InvalidEventException} whose
 * message names the field, ready to be a dead-letter reason. Thread-safe.
 */
public final class EventCodec {

    private static final EventCodec INSTANCE = new EventCodec();

    private final ObjectMapper mapper;

    private EventCodec() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

    public static EventCodec get() {
        return INSTANCE;
    }

    /** The mapper events are written with (ISO-8601 instants, nulls left out). */
    public ObjectMapper mapper() {
        return mapper;
    }

    public String encode(EventEnvelope<?> envelope) {
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + envelope.eventType(), e);
        }
    }

    /** Reads any mfagov event. */
    public EventEnvelope<EventPayload> decode(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty record value");
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode)) {
            throw new InvalidEventException("not a JSON object");
        }
        String typeName = text(root, "eventType");
        EventType type = EventType.fromWireName(typeName)
                .orElseThrow(() -> new InvalidEventException("eventType '" + typeName + "' is not known"));
        JsonNode versionNode = root.get("schemaVersion");
        if (versionNode == null || !versionNode.canConvertToInt()) {
            throw new InvalidEventException("schemaVersion is required and must be a whole number");
        }
        int version = versionNode.intValue();
        if (version < 1 || version > type.schemaVersion()) {
            throw new InvalidEventException("schemaVersion " + version + " of " + typeName
                    + " is not supported (this consumer reads 1 to " + type.schemaVersion() + ")");
        }
        UUID eventId = uuid(root, "eventId");
        Instant occurredAt = instant(root, "occurredAt");
        String tenantId = text(root, "tenantId");
        if (!Require.isGuid(tenantId)) {
            throw new InvalidEventException("tenantId must be a GUID");
        }
        JsonNode correlation = root.get("correlationId");
        JsonNode payloadNode = root.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw new InvalidEventException("payload is required and must be an object");
        }
        EventPayload payload;
        try {
            payload = mapper.treeToValue(payloadNode, type.payloadType());
        } catch (JsonMappingException e) {
            throw new InvalidEventException("payload of " + typeName + " is invalid: " + describe(e));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("payload of " + typeName + " is invalid: " + e.getOriginalMessage());
        }
        try {
            return new EventEnvelope<>(eventId, typeName, version, occurredAt, tenantId,
                    correlation == null || correlation.isNull() ? null : correlation.asText(), payload);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage());
        }
    }

    /** Reads an event that must be of the given payload type. */
    @SuppressWarnings("unchecked")
    public <T extends EventPayload> EventEnvelope<T> decode(String json, Class<T> expected) {
        EventEnvelope<EventPayload> envelope = decode(json);
        if (!expected.isInstance(envelope.payload())) {
            throw new InvalidEventException("expected " + expected.getSimpleName() + " but got " + envelope.eventType());
        }
        return (EventEnvelope<T>) (EventEnvelope<?>) envelope;
    }

    private static String describe(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException && root != e) {
            return root.getMessage();
        }
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        return (path.isEmpty() ? "" : path + ": ") + message;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new InvalidEventException(field + " is required and must be a string");
        }
        return node.asText();
    }

    private static UUID uuid(JsonNode root, String field) {
        String value = text(root, field);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(field + " must be a UUID");
        }
    }

    private static Instant instant(JsonNode root, String field) {
        String value = text(root, field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(field + " must be an ISO-8601 instant");
        }
    }
}
