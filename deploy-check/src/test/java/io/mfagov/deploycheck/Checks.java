package io.mfagov.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.mfagov.model.Topics;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;

/**
 * The checks of deploy/k8s. Each returns its violations (empty when the manifests pass), one readable line each, so
 * a test can both require none for the real overlays and require the right one for a deliberately bad fixture.
 */
final class Checks {

    /** Quarkus' default management interface port; a service that sets quarkus.management.port is held to its own. */
    static final int MANAGEMENT_PORT = 9000;

    private Checks() {
    }

    // ---------------------------------------------------------------- kustomizations

    /** Fields Kustomize v5 deprecates: commonLabels (use labels:), and the other pre-v5 spellings. */
    static final Map<String, String> DEPRECATED_KUSTOMIZE_FIELDS = Map.of(
            "commonLabels", "use `labels:` (with includeSelectors only where a selector must change)",
            "bases", "list the bases under `resources:`",
            "patchesStrategicMerge", "use `patches:`",
            "patchesJson6902", "use `patches:`",
            "vars", "use `replacements:`");

    static List<String> deprecatedKustomizeFields(Path tree) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path f : files.filter(p -> Set.of("kustomization.yaml", "kustomization.yml", "Kustomization")
                    .contains(p.getFileName().toString())).sorted().toList()) {
                JsonNode k = Manifests.YAML.readTree(f.toFile());
                DEPRECATED_KUSTOMIZE_FIELDS.forEach((field, instead) -> {
                    if (k != null && k.has(field)) {
                        out.add(tree.relativize(f) + ": deprecated `" + field + "`: " + instead);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    // ---------------------------------------------------------------- unknown fields in the Java models

    /**
     * Every field the model did not know: fabric8 and Strimzi models keep unknown fields in
     * {@code additionalProperties}, which must be empty everywhere in the object tree.
     */
    static List<String> unknownFields(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Manifests.Doc d : m.docs) {
            if (d.typed()) {
                walk(d.model(), d.apiVersion() + " " + d.id(), out, new IdentityHashMap<>());
            } else {
                // the CRD schema checks the rest; metadata is ObjectMeta for every kind
                walk(d.model().getMetadata(), d.apiVersion() + " " + d.id() + ".metadata", out, new IdentityHashMap<>());
            }
        }
        return out;
    }

    private static void walk(Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>
                || o instanceof Character || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, out, seen));
            return;
        }
        String cls = o.getClass().getName();
        if (!cls.startsWith("io.fabric8.") && !cls.startsWith("io.strimzi.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || g.getDeclaringClass() == Object.class) {
                continue;
            }
            String n = g.getName();
            if (n.equals("getAdditionalProperties")) {
                Object extra = invoke(g, o);
                if (extra instanceof Map<?, ?> map && !map.isEmpty()) {
                    out.add(path + ": unknown field(s) " + map.keySet());
                }
                continue;
            }
            if (!(n.startsWith("get") && n.length() > 3) || n.equals("getPlural") || n.equals("getSingular")
                    || n.equals("getCRDName") || n.equals("getScope") || n.equals("getGroup") || n.equals("getVersion")) {
                continue;
            }
            Object v = invoke(g, o);
            String field = Character.toLowerCase(n.charAt(3)) + n.substring(4);
            walk(v, path + "." + field, out, seen);
        }
    }

    private static Object invoke(Method g, Object o) {
        try {
            return g.invoke(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // derived getters that need state the manifest does not give: nothing to walk
        }
    }

    // ---------------------------------------------------------------- coverage: every kind is checked by something

    /** Kinds that neither a Java model nor a kept CRD schema can check. */
    static List<String> uncheckedKinds(Manifests m, CrdSchemas schemas) {
        List<String> out = new ArrayList<>();
        for (Manifests.Doc d : m.docs) {
            if (!d.typed() && !schemas.covers(d)) {
                out.add(d.apiVersion() + " " + d.id() + ": no Java model and no CRD schema in deploy-check to check it against");
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- secrets

    /** A Secret that carries a value in the repository (data or stringData) instead of referencing one. */
    static List<String> literalSecrets(Manifests m) {
        List<String> out = new ArrayList<>();
        m.kind("Secret").forEach(d -> {
            for (String field : List.of("data", "stringData")) {
                JsonNode values = d.json().path(field);
                if (values.isObject() && values.size() > 0) {
                    List<String> keys = new ArrayList<>();
                    values.fieldNames().forEachRemaining(keys::add);
                    out.add("Secret/" + d.name() + " carries literal " + field + " " + keys
                            + ": use an ExternalSecret or a Secret an operator creates, referenced by name");
                }
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- env vars

    static List<String> unmappedEnvVars(Manifests m) {
        List<String> out = new ArrayList<>();
        forEachServiceContainer(m, out, "", (dep, c, service) -> {
            ServiceConfig config = ServiceConfig.of(service);
            for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                if (config.propertyOf(e.getName()).isEmpty()) {
                    out.add("Deployment/" + dep.getMetadata().getName() + " container " + c.getName() + ": env "
                            + e.getName() + " maps to no run-time config property of " + service.module);
                }
            }
        });
        return out;
    }

    /** What a check does with one container of a Deployment, once it is known to be one of the services. */
    interface ServiceContainer {
        void check(Deployment dep, Container c, Service service);
    }

    /**
     * Every container of every Deployment with the service it runs (by container name, else Deployment name); a
     * container that runs none of them is itself a finding ({@code why} says what could therefore not be checked).
     */
    static void forEachServiceContainer(Manifests m, List<String> out, String why, ServiceContainer check) {
        for (Deployment dep : m.models(Deployment.class).toList()) {
            for (Container c : dep.getSpec().getTemplate().getSpec().getContainers()) {
                Optional<Service> service = Service.named(c.getName()).or(() -> Service.named(dep.getMetadata().getName()));
                if (service.isEmpty()) {
                    out.add("Deployment/" + dep.getMetadata().getName() + " container " + c.getName()
                            + ": not one of the services (scanner, register, notifier)" + why);
                } else {
                    check.check(dep, c, service.get());
                }
            }
        }
    }

    // ---------------------------------------------------------------- probes

    static List<String> probeViolations(Manifests m) {
        List<String> out = new ArrayList<>();
        forEachServiceContainer(m, out, ": its probes cannot be checked", (dep, c, service) -> {
            ServiceConfig config = ServiceConfig.of(service);
            String where = "Deployment/" + dep.getMetadata().getName() + " container " + c.getName();
            if (!config.extensions.contains("quarkus-smallrye-health")) {
                out.add(where + ": " + service.module + " does not include quarkus-smallrye-health: no health paths");
            }
            String health = "/" + config.nonApplicationRoot + "/" + config.healthRoot;
            int mgmt = config.managementPort;
            probe(out, where, "startupProbe", c.getStartupProbe(), health + "/started", c, mgmt);
            probe(out, where, "livenessProbe", c.getLivenessProbe(), health + "/live", c, mgmt);
            probe(out, where, "readinessProbe", c.getReadinessProbe(), health + "/ready", c, mgmt);
        });
        return out;
    }

    private static void probe(List<String> out, String where, String kind, Probe p, String path, Container c, int mgmt) {
        if (p == null) {
            out.add(where + ": no " + kind);
            return;
        }
        HTTPGetAction get = p.getHttpGet();
        if (get == null) {
            out.add(where + ": " + kind + " is not an httpGet on " + path);
            return;
        }
        if (!path.equals(get.getPath())) {
            out.add(where + ": " + kind + " path " + get.getPath() + " is not the service's " + path);
        }
        Integer port = port(get.getPort(), c);
        if (port == null || port != mgmt) {
            out.add(where + ": " + kind + " port " + (get.getPort() == null ? null : get.getPort().getValue())
                    + " is not the management interface (" + mgmt + ")");
        }
    }

    private static Integer port(IntOrString port, Container c) {
        if (port == null) {
            return null;
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        for (ContainerPort cp : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
            if (port.getStrVal().equals(cp.getName())) {
                return cp.getContainerPort();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- topics and ACLs

    /** Every topic of {@link Topics} and its dead-letter topic. */
    static Set<String> codeTopics() {
        Set<String> out = new LinkedHashSet<>();
        for (var f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("DLQ_SUFFIX")) {
                try {
                    String t = (String) f.get(null);
                    out.add(t);
                    out.add(Topics.deadLetter(t));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    /** What each service does on Kafka, from its channels (and the register's outbox). */
    record KafkaNeed(Service service, String resourceType, String name, AclOperation operation) {
        @Override
        public String toString() {
            return service.shortName + " needs " + operation + " on " + resourceType + " " + name;
        }
    }

    static List<KafkaNeed> kafkaNeeds() {
        List<KafkaNeed> needs = new ArrayList<>();
        for (Service s : Service.values()) {
            ServiceConfig c = ServiceConfig.of(s);
            c.incoming.forEach((channel, topic) -> {
                needs.add(new KafkaNeed(s, "topic", topic, AclOperation.READ));
                needs.add(new KafkaNeed(s, "topic", topic, AclOperation.DESCRIBE));
                String group = c.groups.get(channel);
                if (group != null) {
                    needs.add(new KafkaNeed(s, "group", group, AclOperation.READ));
                }
                String dlq = c.deadLetters.get(channel);
                if (dlq != null) {
                    needs.add(new KafkaNeed(s, "topic", dlq, AclOperation.WRITE));
                }
            });
            c.outgoing.values().forEach(t -> needs.add(new KafkaNeed(s, "topic", t, AclOperation.WRITE)));
            s.outboxTopics.forEach(t -> needs.add(new KafkaNeed(s, "topic", t, AclOperation.WRITE)));
        }
        return needs;
    }

    static List<String> topicViolations(Manifests m) {
        List<String> out = new ArrayList<>();
        Map<String, KafkaTopic> topics = new LinkedHashMap<>();
        m.models(KafkaTopic.class).forEach(t -> topics.put(
                t.getSpec() != null && t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName(), t));
        Set<String> used = new LinkedHashSet<>(codeTopics());
        kafkaNeeds().stream().filter(n -> n.resourceType().equals("topic")).forEach(n -> used.add(n.name()));
        for (String t : used) {
            if (!topics.containsKey(t)) {
                out.add("topic " + t + " is used by the code but has no KafkaTopic");
            }
        }
        Map<Service, KafkaUser> users = new LinkedHashMap<>();
        m.models(KafkaUser.class).forEach(u -> Service.named(u.getMetadata().getName()).ifPresent(s -> users.put(s, u)));
        for (KafkaNeed need : kafkaNeeds()) {
            KafkaUser u = users.get(need.service());
            if (u == null) {
                out.add("no KafkaUser for the " + need.service().shortName + " (" + need + ")");
                continue;
            }
            if (!(u.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)
                    || simple.getAcls().stream().noneMatch(rule -> allows(rule, need))) {
                out.add("KafkaUser/" + u.getMetadata().getName() + " has no ACL: " + need);
            }
        }
        return out;
    }

    private static boolean allows(AclRule rule, KafkaNeed need) {
        if (rule.getType() == AclRuleType.DENY) {
            return false;
        }
        List<AclOperation> ops = rule.getOperations() == null ? List.of() : rule.getOperations();
        boolean opOk = ops.contains(need.operation()) || ops.contains(AclOperation.ALL)
                || (need.operation() == AclOperation.DESCRIBE && (ops.contains(AclOperation.READ) || ops.contains(AclOperation.WRITE)));
        if (!opOk) {
            return false;
        }
        if (need.resourceType().equals("topic") && rule.getResource() instanceof AclRuleTopicResource t) {
            return matches(t.getName(), t.getPatternType(), need.name());
        }
        if (need.resourceType().equals("group") && rule.getResource() instanceof AclRuleGroupResource g) {
            return matches(g.getName(), g.getPatternType(), need.name());
        }
        return false;
    }

    private static boolean matches(String name, AclResourcePatternType type, String wanted) {
        if (type == AclResourcePatternType.PREFIX) {
            return wanted.startsWith(name);
        }
        return name.equals("*") || name.equals(wanted);
    }

    // ---------------------------------------------------------------- KEDA scaling of the scanner

    /**
     * The scanner's ScaledObject: a kafka trigger on the topic and group the scanner's channel really uses, with
     * min/max replicas, lagThreshold and activationLagThreshold set, an authenticationRef, and a topic with at least
     * as many partitions as the maximum replicas (a replica beyond the partition count would sit idle).
     */
    static List<String> scalingViolations(Manifests m) {
        List<String> out = new ArrayList<>();
        ServiceConfig scanner = ServiceConfig.of(Service.SCANNER);
        String topic = scanner.incoming.get("scan-requests");
        String group = scanner.groups.get("scan-requests");
        List<Manifests.Doc> scaled = m.kind("ScaledObject").toList();
        if (scaled.isEmpty()) {
            out.add("no ScaledObject for the scanner");
        }
        Map<String, Integer> partitions = new LinkedHashMap<>();
        m.models(KafkaTopic.class).forEach(t -> partitions.put(
                t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName(),
                t.getSpec().getPartitions()));
        for (Manifests.Doc d : scaled) {
            JsonNode spec = d.json().path("spec");
            String where = "ScaledObject/" + d.name();
            for (String field : List.of("minReplicaCount", "maxReplicaCount")) {
                if (!spec.has(field)) {
                    out.add(where + ": no " + field);
                }
            }
            JsonNode kafka = null;
            for (JsonNode t : spec.path("triggers")) {
                if ("kafka".equals(t.path("type").asText())) {
                    kafka = t;
                }
            }
            if (kafka == null) {
                out.add(where + ": no kafka trigger");
                continue;
            }
            JsonNode md = kafka.path("metadata");
            if (!topic.equals(md.path("topic").asText())) {
                out.add(where + ": trigger topic " + md.path("topic").asText() + " is not the scanner's " + topic);
            }
            if (!group.equals(md.path("consumerGroup").asText())) {
                out.add(where + ": trigger consumerGroup " + md.path("consumerGroup").asText() + " is not the scanner's " + group);
            }
            for (String field : List.of("lagThreshold", "activationLagThreshold", "bootstrapServers")) {
                if (md.path(field).asText("").isBlank()) {
                    out.add(where + ": trigger has no " + field);
                }
            }
            String auth = kafka.path("authenticationRef").path("name").asText("");
            if (auth.isBlank()) {
                out.add(where + ": trigger has no authenticationRef (the brokers require SCRAM or TLS)");
            } else if (m.kind("TriggerAuthentication").noneMatch(t -> t.name().equals(auth))) {
                out.add(where + ": its TriggerAuthentication " + auth + " is not in the overlay");
            }
            Integer p = partitions.get(topic);
            int max = spec.path("maxReplicaCount").asInt(0);
            if (p == null || p < max) {
                out.add(where + ": maxReplicaCount " + max + " exceeds the " + p + " partitions of " + topic);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- pod hardening

    /**
     * What the issue asks of every Deployment: no service-account token, non-root, read-only root filesystem with
     * a writable /tmp, no capabilities, RuntimeDefault seccomp, no privilege escalation, requests and limits, and a
     * termination grace period longer than the service's HTTP shutdown timeout.
     */
    static List<String> hardeningViolations(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Deployment dep : m.models(Deployment.class).toList()) {
            var pod = dep.getSpec().getTemplate().getSpec();
            String where = "Deployment/" + dep.getMetadata().getName();
            if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                out.add(where + ": automountServiceAccountToken is not false");
            }
            String podSeccomp = pod.getSecurityContext() != null && pod.getSecurityContext().getSeccompProfile() != null
                    ? pod.getSecurityContext().getSeccompProfile().getType() : null;
            Boolean podNonRoot = pod.getSecurityContext() != null ? pod.getSecurityContext().getRunAsNonRoot() : null;
            for (Container c : pod.getContainers()) {
                String w = where + " container " + c.getName();
                var sc = c.getSecurityContext();
                if (sc == null) {
                    out.add(w + ": no securityContext");
                    continue;
                }
                if (!Boolean.TRUE.equals(sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot)) {
                    out.add(w + ": runAsNonRoot is not true");
                }
                if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                    out.add(w + ": readOnlyRootFilesystem is not true");
                }
                if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                    out.add(w + ": allowPrivilegeEscalation is not false");
                }
                if (sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
                        || !sc.getCapabilities().getDrop().contains("ALL")) {
                    out.add(w + ": capabilities do not drop ALL");
                }
                String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType() : podSeccomp;
                if (!"RuntimeDefault".equals(seccomp)) {
                    out.add(w + ": seccompProfile is not RuntimeDefault");
                }
                boolean tmp = Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).stream()
                        .anyMatch(vm -> "/tmp".equals(vm.getMountPath())
                                && Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
                                        .anyMatch(v -> v.getName().equals(vm.getName()) && v.getEmptyDir() != null));
                if (!tmp) {
                    out.add(w + ": no writable /tmp (an emptyDir mounted at /tmp)");
                }
                var res = c.getResources();
                if (res == null || res.getRequests() == null || !res.getRequests().containsKey("memory")
                        || !res.getRequests().containsKey("cpu") || res.getLimits() == null
                        || !res.getLimits().containsKey("memory")) {
                    out.add(w + ": requests (cpu, memory) and a memory limit are not all set");
                }
                Long grace = pod.getTerminationGracePeriodSeconds();
                long shutdown = Optional.ofNullable(c.getEnv()).orElse(List.of()).stream()
                        .filter(e -> e.getName().equals("QUARKUS_SHUTDOWN_TIMEOUT") && e.getValue() != null)
                        .map(e -> java.time.Duration.parse("PT" + e.getValue().toUpperCase().replaceFirst("^PT", "")).toSeconds())
                        .findFirst().orElse(0L);
                if (grace == null || grace <= shutdown) {
                    out.add(w + ": terminationGracePeriodSeconds " + grace + " is not longer than the shutdown timeout ("
                            + shutdown + " s)");
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- metrics scraping

    /**
     * Prometheus scrapes every service through the management interface: a ServiceMonitor selects, for each service,
     * a Service whose port of the endpoint's name reaches the container's port 9000, on the service's metrics path;
     * and no other Service (the public one) exposes port 9000.
     */
    static List<String> metricsViolations(Manifests m) {
        List<String> out = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.Service> services = m.models(io.fabric8.kubernetes.api.model.Service.class).toList();
        List<Deployment> deployments = m.models(Deployment.class).toList();
        Set<Service> scraped = new LinkedHashSet<>();
        Set<String> managementServices = new LinkedHashSet<>();
        for (var sm : m.models(io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class).toList()) {
            Map<String, String> match = sm.getSpec().getSelector() == null ? null : sm.getSpec().getSelector().getMatchLabels();
            for (var svc : services) {
                Map<String, String> labels = Optional.ofNullable(svc.getMetadata().getLabels()).orElse(Map.of());
                if (match == null || !labels.entrySet().containsAll(match.entrySet())) {
                    continue;
                }
                for (var ep : sm.getSpec().getEndpoints()) {
                    String where = "ServiceMonitor/" + sm.getMetadata().getName() + " → Service/" + svc.getMetadata().getName();
                    var port = svc.getSpec().getPorts().stream().filter(p -> p.getName() != null && p.getName().equals(ep.getPort())).findFirst();
                    if (port.isEmpty()) {
                        out.add(where + ": no port named " + ep.getPort());
                        continue;
                    }
                    Optional<Deployment> target = deployments.stream().filter(d -> selects(svc, d)).findFirst();
                    if (target.isEmpty()) {
                        out.add(where + ": selects no Deployment");
                        continue;
                    }
                    Container c = target.get().getSpec().getTemplate().getSpec().getContainers().get(0);
                    IntOrString tp = port.get().getTargetPort() != null ? port.get().getTargetPort() : new IntOrString(port.get().getPort());
                    Integer containerPort = port(tp, c);
                    Optional<Service> s = Service.named(c.getName()).or(() -> Service.named(target.get().getMetadata().getName()));
                    int mgmt = s.map(x -> ServiceConfig.of(x).managementPort).orElse(MANAGEMENT_PORT);
                    if (containerPort == null || containerPort != mgmt) {
                        out.add(where + ": port " + ep.getPort() + " does not reach the management interface (" + mgmt + ")");
                    }
                    if (s.isPresent()) {
                        scraped.add(s.get());
                        managementServices.add(svc.getMetadata().getName());
                        String path = ServiceConfig.of(s.get()).metricsPath;
                        if (!path.equals(ep.getPath())) {
                            out.add(where + ": path " + ep.getPath() + " is not " + s.get().module + "'s metrics path " + path);
                        }
                    }
                }
            }
        }
        for (Deployment d : deployments) {
            Service.named(d.getMetadata().getName()).filter(s -> !scraped.contains(s))
                    .ifPresent(s -> out.add("no ServiceMonitor scrapes the " + s.shortName + "'s management interface"));
        }
        for (var svc : services) {
            if (managementServices.contains(svc.getMetadata().getName())) {
                continue;
            }
            for (Deployment d : deployments) {
                if (!selects(svc, d)) {
                    continue;
                }
                Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
                for (var p : svc.getSpec().getPorts()) {
                    Integer cp = port(p.getTargetPort() != null ? p.getTargetPort() : new IntOrString(p.getPort()), c);
                    int mgmt = Service.named(d.getMetadata().getName()).map(x -> ServiceConfig.of(x).managementPort)
                            .orElse(MANAGEMENT_PORT);
                    if (cp != null && cp == mgmt) {
                        out.add("Service/" + svc.getMetadata().getName() + " exposes the management interface but is not the internal management Service");
                    }
                }
            }
        }
        return out;
    }

    private static boolean selects(io.fabric8.kubernetes.api.model.Service svc, Deployment d) {
        Map<String, String> sel = svc.getSpec().getSelector();
        Map<String, String> labels = Optional.ofNullable(d.getSpec().getTemplate().getMetadata().getLabels()).orElse(Map.of());
        return sel != null && !sel.isEmpty() && labels.entrySet().containsAll(sel.entrySet());
    }

    // ---------------------------------------------------------------- Kafka security wired to the KafkaUsers

    /**
     * Each service reaches a listener of the Strimzi Kafka that authenticates the way its KafkaUser does, with that
     * user's credentials: SCRAM (security protocol SASL_SSL on a TLS listener, else SASL_PLAINTEXT; mechanism
     * SCRAM-SHA-512; the JAAS config from the KafkaUser's own Secret) or TLS client certificates (SSL; keystore from
     * the KafkaUser's Secret); on a TLS listener it trusts the cluster CA.
     */
    static List<String> kafkaWiringViolations(Manifests m) {
        List<String> out = new ArrayList<>();
        var kafkas = m.models(io.strimzi.api.kafka.model.kafka.Kafka.class).toList();
        Map<Service, KafkaUser> users = new LinkedHashMap<>();
        m.models(KafkaUser.class).forEach(u -> Service.named(u.getMetadata().getName()).ifPresent(s -> users.put(s, u)));
        for (Deployment dep : m.models(Deployment.class).toList()) {
            Container c = dep.getSpec().getTemplate().getSpec().getContainers().get(0);
            Optional<Service> service = Service.named(c.getName()).or(() -> Service.named(dep.getMetadata().getName()));
            if (service.isEmpty()) {
                continue;
            }
            String where = "Deployment/" + dep.getMetadata().getName();
            Map<String, EnvVar> env = new LinkedHashMap<>();
            Optional.ofNullable(c.getEnv()).orElse(List.of()).forEach(e -> env.put(e.getName(), e));
            KafkaUser user = users.get(service.get());
            if (user == null) {
                out.add(where + ": no KafkaUser for the " + service.get().shortName);
                continue;
            }
            String auth = user.getSpec().getAuthentication() == null ? "none" : user.getSpec().getAuthentication().getType();
            String bootstrap = value(env.get("KAFKA_BOOTSTRAP_SERVERS"));
            io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener listener = null;
            for (var k : kafkas) {
                for (var l : k.getSpec().getKafka().getListeners()) {
                    if (bootstrap != null && bootstrap.startsWith(k.getMetadata().getName() + "-kafka-bootstrap")
                            && bootstrap.endsWith(":" + l.getPort())) {
                        listener = l;
                    }
                }
            }
            if (listener == null) {
                out.add(where + ": KAFKA_BOOTSTRAP_SERVERS " + bootstrap + " is no listener of a Strimzi Kafka in the overlay");
                continue;
            }
            String listenerAuth = listener.getAuth() == null ? "none" : listener.getAuth().getType();
            if (!listenerAuth.equals(auth)) {
                out.add(where + ": listener " + listener.getName() + " authenticates with " + listenerAuth
                        + " but KafkaUser/" + user.getMetadata().getName() + " with " + auth);
            }
            boolean tls = listener.isTls();
            String protocol = value(env.get("KAFKA_SECURITY_PROTOCOL"));
            String userSecret = user.getMetadata().getName();
            if (auth.equals("scram-sha-512")) {
                expect(out, where, "KAFKA_SECURITY_PROTOCOL", protocol, tls ? "SASL_SSL" : "SASL_PLAINTEXT");
                expect(out, where, "KAFKA_SASL_MECHANISM", value(env.get("KAFKA_SASL_MECHANISM")), "SCRAM-SHA-512");
                EnvVar jaas = env.get("KAFKA_SASL_JAAS_CONFIG");
                var ref = jaas == null || jaas.getValueFrom() == null ? null : jaas.getValueFrom().getSecretKeyRef();
                if (ref == null || !userSecret.equals(ref.getName()) || !"sasl.jaas.config".equals(ref.getKey())) {
                    out.add(where + ": KAFKA_SASL_JAAS_CONFIG does not come from Secret " + userSecret + " key sasl.jaas.config");
                }
            } else if (auth.equals("tls")) {
                expect(out, where, "KAFKA_SECURITY_PROTOCOL", protocol, "SSL");
                if (!env.containsKey("KAFKA_SSL_KEYSTORE_LOCATION")) {
                    out.add(where + ": no KAFKA_SSL_KEYSTORE_LOCATION for the KafkaUser's certificate");
                }
            } else {
                out.add(where + ": KafkaUser/" + userSecret + " has no authentication");
            }
            if (tls && !env.containsKey("KAFKA_SSL_TRUSTSTORE_LOCATION")) {
                out.add(where + ": listener " + listener.getName() + " is TLS but no KAFKA_SSL_TRUSTSTORE_LOCATION trusts the cluster CA");
            }
        }
        return out;
    }

    private static String value(EnvVar e) {
        return e == null ? null : e.getValue();
    }

    private static void expect(List<String> out, String where, String name, String actual, String wanted) {
        if (!wanted.equals(actual)) {
            out.add(where + ": " + name + " is " + actual + ", not " + wanted);
        }
    }
}
