package io.mfagov.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * One rendered overlay: every document as plain JSON (what kustomize printed) and as a fabric8 model object.
 */
final class Manifests {

    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Kinds with a Java model of their operator's own: loaded into it, never into a generic map. */
    static final Map<String, Class<? extends HasMetadata>> OPERATOR_MODELS = Map.of(
            "kafka.strimzi.io/v1/Kafka", Kafka.class,
            "kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class,
            "kafka.strimzi.io/v1/KafkaUser", KafkaUser.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

    /** One document: its JSON and its model object (a {@link GenericKubernetesResource} when no model knows it). */
    record Doc(ObjectNode json, HasMetadata model) {
        String apiVersion() {
            return json.path("apiVersion").asText();
        }

        String group() {
            String v = apiVersion();
            return v.contains("/") ? v.substring(0, v.indexOf('/')) : "";
        }

        String version() {
            String v = apiVersion();
            return v.contains("/") ? v.substring(v.indexOf('/') + 1) : v;
        }

        String kind() {
            return json.path("kind").asText();
        }

        String name() {
            return json.path("metadata").path("name").asText();
        }

        String namespace() {
            return json.path("metadata").path("namespace").asText(null);
        }

        String id() {
            return kind() + "/" + name();
        }

        boolean typed() {
            return !(model instanceof GenericKubernetesResource);
        }
    }

    final String source;
    final List<Doc> docs;

    private Manifests(String source, List<Doc> docs) {
        this.source = source;
        this.docs = docs;
    }

    /** Renders a kustomization directory with kustomize and loads what it printed. */
    static Manifests render(Path kustomization) {
        return parse(kustomization.toString(), Kustomize.render(kustomization));
    }

    static Manifests parse(String source, String yaml) {
        List<Doc> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!(node instanceof ObjectNode o)) {
                    throw new AssertionError(source + ": a document is not a mapping: " + node);
                }
                docs.add(new Doc(o, load(o)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": not YAML", e);
        }
        return new Manifests(source, List.copyOf(docs));
    }

    private static HasMetadata load(ObjectNode o) {
        String json = o.toString();
        Class<? extends HasMetadata> model = OPERATOR_MODELS.get(o.path("apiVersion").asText() + "/" + o.path("kind").asText());
        if (model != null) {
            return SERIALIZATION.unmarshal(json, model);
        }
        KubernetesResource r = SERIALIZATION.unmarshal(json);
        if (!(r instanceof HasMetadata h)) {
            throw new AssertionError("not a Kubernetes object: " + json);
        }
        return h;
    }

    Stream<Doc> kind(String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind));
    }

    @SuppressWarnings("unchecked")
    <T extends HasMetadata> Stream<T> models(Class<T> type) {
        return docs.stream().map(Doc::model).filter(type::isInstance).map(m -> (T) m);
    }

    @Override
    public String toString() {
        return source;
    }
}
