package io.mfagov.deploycheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The operators' published CRDs kept under src/test/resources/crds (see SOURCE.md there): each served version's
 * {@code openAPIV3Schema}, closed with {@code additionalProperties: false} wherever it neither sets
 * {@code additionalProperties} nor preserves unknown fields, validated with networknt json-schema-validator.
 */
final class CrdSchemas {

    static final List<String> FILES = List.of(
            "crds/cloudnative-pg/postgresql.cnpg.io_clusters.yaml",
            "crds/cloudnative-pg/postgresql.cnpg.io_databases.yaml",
            "crds/cloudnative-pg/postgresql.cnpg.io_scheduledbackups.yaml",
            "crds/barman-cloud/barmancloud.cnpg.io_objectstores.yaml",
            "crds/keda/keda.sh_scaledobjects.yaml",
            "crds/keda/keda.sh_triggerauthentications.yaml",
            "crds/external-secrets/external-secrets.io_externalsecrets.yaml",
            "crds/strimzi/040-Crd-kafka.yaml",
            "crds/strimzi/043-Crd-kafkatopic.yaml",
            "crds/strimzi/044-Crd-kafkauser.yaml",
            "crds/strimzi/045-Crd-kafkanodepool.yaml");

    /** Keywords of Kubernetes' structural schemas that JSON Schema does not know; dropped after closing. */
    private static final Set<String> KUBERNETES_KEYWORDS = Set.of("x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-int-or-string", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
            "x-kubernetes-map-type", "x-kubernetes-validations", "x-kubernetes-embedded-resource", "nullable", "format");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static volatile CrdSchemas loaded;

    /** group/version/kind → schema; group/kind → plural and scope */
    private final Map<String, JsonSchema> schemas = new LinkedHashMap<>();
    final Map<String, String[]> names = new LinkedHashMap<>();

    static CrdSchemas load() {
        CrdSchemas c = loaded;
        if (c == null) {
            c = new CrdSchemas();
            loaded = c;
        }
        return c;
    }

    private CrdSchemas() {
        for (String file : FILES) {
            try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new AssertionError("missing " + file);
                }
                JsonNode crd = Manifests.YAML.readTree(in);
                JsonNode spec = crd.path("spec");
                String group = spec.path("group").asText();
                String kind = spec.path("names").path("kind").asText();
                names.put(group + "/" + kind, new String[] {spec.path("names").path("plural").asText(), spec.path("scope").asText()});
                for (JsonNode v : spec.path("versions")) {
                    if (!v.path("served").asBoolean()) {
                        continue;
                    }
                    ObjectNode schema = v.path("schema").path("openAPIV3Schema").deepCopy();
                    // metadata is ObjectMeta, checked by the API server (and Checks.unknownFields), not by the CRD
                    if (schema.path("properties") instanceof ObjectNode props) {
                        props.putObject("metadata").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
                    }
                    close(schema);
                    schemas.put(group + "/" + v.path("name").asText() + "/" + kind, FACTORY.getSchema(schema));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file, e);
            }
        }
    }

    /** Unknown fields become errors; Kubernetes-only keywords go. */
    static void close(JsonNode node) {
        if (node instanceof ObjectNode o) {
            boolean preserve = o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            boolean object = "object".equals(o.path("type").asText()) || o.has("properties");
            if (object && !preserve && !o.has("additionalProperties")) {
                o.put("additionalProperties", false);
            }
            o.remove(KUBERNETES_KEYWORDS);
            // recurse into sub-schemas only (a property *named* like a keyword stays)
            o.fields().forEachRemaining(e -> {
                if (e.getKey().equals("properties") || e.getKey().equals("patternProperties")) {
                    e.getValue().forEach(CrdSchemas::close);
                } else {
                    close(e.getValue());
                }
            });
        } else if (node != null && node.isArray()) {
            node.forEach(CrdSchemas::close);
        }
    }

    boolean covers(Manifests.Doc d) {
        return names.containsKey(d.group() + "/" + d.kind());
    }

    List<String> violations(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Manifests.Doc d : m.docs) {
            if (!covers(d)) {
                continue;
            }
            JsonSchema schema = schemas.get(d.group() + "/" + d.version() + "/" + d.kind());
            if (schema == null) {
                out.add(d.apiVersion() + " " + d.id() + ": the operator's CRD serves no version " + d.version());
                continue;
            }
            for (ValidationMessage msg : schema.validate(d.json())) {
                out.add(d.apiVersion() + " " + d.id() + ": " + msg.getMessage());
            }
        }
        return out;
    }
}
