package io.mfagov.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanCompleted;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EventContractTest {

    private final EventCodec codec = EventCodec.get();

    @Test
    void everyEventSerialisesToJsonValidAgainstItsSchema() throws IOException {
        for (EventPayload payload : SampleEvents.all()) {
            EventEnvelope<EventPayload> envelope = EventEnvelope.wrap(payload, SampleEvents.NOW);
            JsonNode json = codec.mapper().readTree(codec.encode(envelope));
            Set<ValidationMessage> errors = schema(envelope.type()).validate(json);
            assertThat(errors).as("%s against its schema: %s", envelope.eventType(), json).isEmpty();
        }
    }

    @Test
    void schemasRefuseEventsMissingRequiredFieldsOrWithWrongTypes() throws IOException {
        EventEnvelope<ExclusionDetected> envelope = EventEnvelope.wrap(SampleEvents.nestedGroupExclusion(), SampleEvents.NOW);
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(envelope));
        ((ObjectNode) json.get("payload").get("principal")).remove("resolved");
        ((ObjectNode) json.get("payload").get("policy")).put("state", "on");
        json.put("tenantId", "not-a-guid");

        Set<ValidationMessage> errors = schema(EventType.EXCLUSION_DETECTED).validate(json);

        assertThat(errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("\n")))
                .contains("resolved").contains("state").contains("tenantId");
    }

    @Test
    void everyEventRoundTripsThroughTheCodecUnchanged() {
        for (EventPayload payload : SampleEvents.all()) {
            EventEnvelope<EventPayload> envelope = EventEnvelope.wrap(payload, SampleEvents.NOW);
            assertThat(codec.decode(codec.encode(envelope))).isEqualTo(envelope);
        }
    }

    @Test
    void schemaPropertiesAndRecordComponentsNameTheSameFields() throws IOException {
        for (EventType type : EventType.values()) {
            JsonNode payloadSchema = codec.mapper().readTree(resource(type)).get("properties").get("payload");
            assertSameFields(type.payloadType(), payloadSchema, type.wireName());
        }
    }

    @Test
    void unknownFieldsAreIgnoredOnRead() throws IOException {
        EventEnvelope<ExclusionDetected> envelope = EventEnvelope.wrap(SampleEvents.nestedGroupExclusion(), SampleEvents.NOW);
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(envelope));
        json.put("producedBy", "scanner-7");
        ((ObjectNode) json.get("payload")).putObject("signals").put("lastMfaSignIn", "2026-11-01T00:00:00Z");
        ((ObjectNode) json.get("payload").get("principal")).put("onPremisesSyncEnabled", false);

        assertThat(codec.decode(json.toString())).isEqualTo(envelope);
    }

    @Test
    void enumValuesFromNewerProducersAreReadAsUnknown() throws IOException {
        EventEnvelope<ExclusionDetected> envelope = EventEnvelope.wrap(SampleEvents.nestedGroupExclusion(), SampleEvents.NOW);
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(envelope));
        ((ObjectNode) json.get("payload").get("principal")).put("type", "AGENT_IDENTITY");

        ExclusionDetected read = codec.decode(json.toString(), ExclusionDetected.class).payload();

        assertThat(read.principal().type()).isEqualTo(PrincipalType.UNKNOWN);
    }

    @Test
    void invalidRecordsAreRefusedWithAReasonNamingTheField() throws IOException {
        EventEnvelope<ExclusionDetected> envelope = EventEnvelope.wrap(SampleEvents.nestedGroupExclusion(), SampleEvents.NOW);
        String valid = codec.encode(envelope);

        assertThat(reasonFor("{not json")).startsWith("not JSON");
        assertThat(reasonFor("[1,2]")).isEqualTo("not a JSON object");
        assertThat(reasonFor(valid.replace("\"ExclusionDetected\"", "\"ExclusionGuessed\"")))
                .contains("eventType 'ExclusionGuessed' is not known");
        assertThat(reasonFor(valid.replace("\"schemaVersion\":1", "\"schemaVersion\":2")))
                .contains("schemaVersion 2 of ExclusionDetected is not supported");
        assertThat(reasonFor(valid.replace("\"resolved\":true", "\"resolved\":null")))
                .contains("principal.resolved is required");
        assertThat(reasonFor(valid.replace("\"observedAt\":\"2026-11-27T10:15:30Z\"", "\"observedAt\":\"yesterday\"")))
                .contains("observedAt");

        ObjectNode otherTenant = (ObjectNode) codec.mapper().readTree(valid);
        otherTenant.put("tenantId", "11111111-1111-1111-1111-111111111111");
        assertThat(reasonFor(otherTenant.toString())).contains("tenantId of the envelope and of the payload differ");

        ObjectNode noCount = (ObjectNode) codec.mapper().readTree(codec.encode(EventEnvelope.wrap(
                new ScanCompleted(SampleEvents.SCAN, null, SampleEvents.TENANT, io.mfagov.model.events.ScanStatus.COMPLETE,
                        SampleEvents.NOW, SampleEvents.NOW, 0, 1, null, null, null, null), SampleEvents.NOW)));
        ((ObjectNode) noCount.get("payload")).remove("detectionCount");
        assertThat(reasonFor(noCount.toString())).contains("detectionCount is required");
    }

    @Test
    void decodingAsTheWrongTypeIsRefused() {
        String json = codec.encode(EventEnvelope.wrap(SampleEvents.nestedGroupExclusion(), Instant.now()));
        assertThat(reasonFor(() -> codec.decode(json, ScanCompleted.class)))
                .isEqualTo("expected ScanCompleted but got ExclusionDetected");
    }

    @Test
    void headersCarryEventIdTypeAndSchemaVersionAndTheKeyIsTheTenant() {
        EventEnvelope<ExclusionDetected> envelope = EventEnvelope.wrap(SampleEvents.nestedGroupExclusion(), Instant.now());
        assertThat(EventHeaders.of(envelope))
                .containsEntry(EventHeaders.EVENT_ID, envelope.eventId().toString())
                .containsEntry(EventHeaders.EVENT_TYPE, "ExclusionDetected")
                .containsEntry(EventHeaders.SCHEMA_VERSION, "1")
                .containsEntry(EventHeaders.CORRELATION_ID, SampleEvents.SCAN.toString());
        assertThat(envelope.key()).isEqualTo(SampleEvents.TENANT);
        assertThat(envelope.type().topic()).isEqualTo(Topics.SCAN_RESULTS);
    }

    @Test
    void exclusionKeyIsStableAndDistinguishesPaths() {
        ExclusionDetected viaGroup = SampleEvents.nestedGroupExclusion();
        ExclusionDetected direct = new ExclusionDetected(viaGroup.scanId(), viaGroup.tenantId(), viaGroup.policy(),
                viaGroup.principal(), io.mfagov.model.events.Via.direct(viaGroup.principal().id()), viaGroup.observedAt());

        assertThat(viaGroup.exclusionKey()).isEqualTo(SampleEvents.nestedGroupExclusion().exclusionKey());
        assertThat(viaGroup.exclusionKey()).isNotEqualTo(direct.exclusionKey());
        assertThat(viaGroup.via().describe()).isEqualTo("group:Legacy Scanners > group:Scanner Hosts");
    }

    @Test
    void eventsDocumentNamesEveryTopicEventTypeAndSchema() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "events.md"));
        for (EventType type : EventType.values()) {
            assertThat(doc).contains(type.wireName()).contains(type.topic()).contains(type.topic() + ".dlq")
                    .contains(type.wireName() + ".v" + type.schemaVersion() + ".schema.json");
            JsonNode payload = codec.mapper().readTree(resource(type)).get("properties").get("payload");
            payload.get("properties").fieldNames().forEachRemaining(field ->
                    assertThat(doc).as("docs/events.md documents %s.%s", type.wireName(), field).contains("`" + field + "`"));
        }
    }

    private String reasonFor(String json) {
        return reasonFor(() -> codec.decode(json));
    }

    private static String reasonFor(Runnable decode) {
        try {
            decode.run();
        } catch (InvalidEventException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the record to be refused");
    }

    private static JsonSchema schema(EventType type) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(resource(type), config);
    }

    private static InputStream resource(EventType type) {
        InputStream in = EventType.class.getResourceAsStream(type.schemaResource());
        assertThat(in).as("schema %s on the classpath", type.schemaResource()).isNotNull();
        return in;
    }

    private static void assertSameFields(Class<?> type, JsonNode schema, String where) {
        Set<String> schemaFields = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(schemaFields::add);
        Set<String> recordFields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(schemaFields).as("fields of %s", where).isEqualTo(recordFields);
        for (RecordComponent component : type.getRecordComponents()) {
            JsonNode fieldSchema = schema.get("properties").get(component.getName());
            Class<?> nested = recordType(component.getGenericType());
            if (nested != null) {
                JsonNode nestedSchema = fieldSchema.has("items") ? fieldSchema.get("items") : fieldSchema;
                assertSameFields(nested, nestedSchema, where + "." + component.getName());
            }
        }
    }

    private static Class<?> recordType(Type type) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        return null;
    }

}
