package io.mfagov.deploycheck;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * Applies an overlay to fabric8's mock API server in CRUD mode, as {@code kubectl apply} would (create, then read
 * back), and reports what the server refused or did not keep.
 */
final class MockCluster {

    private MockCluster() {
    }

    static List<String> apply(Manifests m, CrdSchemas crds) {
        List<String> out = new ArrayList<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            for (Manifests.Doc d : m.docs) {
                ResourceDefinitionContext ctx = context(d, crds);
                if (!d.typed() || Manifests.OPERATOR_MODELS.containsKey(d.apiVersion() + "/" + d.kind())) {
                    server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(ctx.getGroup())
                            .withVersion(ctx.getVersion()).withKind(ctx.getKind()).withPlural(ctx.getPlural())
                            .withScope(ctx.isNamespaceScoped() ? "Namespaced" : "Cluster").build());
                }
                GenericKubernetesResource r = Manifests.SERIALIZATION.unmarshal(d.json().toString(), GenericKubernetesResource.class);
                String ns = ctx.isNamespaceScoped() ? (d.namespace() == null ? "default" : d.namespace()) : null;
                try {
                    var op = client.genericKubernetesResources(ctx);
                    var target = ns == null ? op.resource(r) : op.inNamespace(ns).resource(r);
                    target.create();
                    var back = ns == null ? op.withName(d.name()).get() : op.inNamespace(ns).withName(d.name()).get();
                    if (back == null) {
                        out.add(d.apiVersion() + " " + d.id() + ": created but not found again");
                    } else if (!back.getKind().equals(d.kind())) {
                        out.add(d.apiVersion() + " " + d.id() + ": read back as " + back.getKind());
                    }
                } catch (KubernetesClientException e) {
                    out.add(d.apiVersion() + " " + d.id() + ": refused: " + e.getMessage());
                }
            }
        } finally {
            server.destroy();
        }
        return out;
    }

    private static ResourceDefinitionContext context(Manifests.Doc d, CrdSchemas crds) {
        HasMetadata model = d.model();
        if (d.typed()) {
            // the doc's own apiVersion: a model class may name another served version (Strimzi's Kafka says v1beta2)
            ResourceDefinitionContext fromType = ResourceDefinitionContext.fromResourceType(model.getClass());
            return new ResourceDefinitionContext.Builder().withGroup(d.group()).withVersion(d.version())
                    .withKind(d.kind()).withPlural(fromType.getPlural()).withNamespaced(fromType.isNamespaceScoped()).build();
        }
        String[] names = crds.names.get(d.group() + "/" + d.kind());
        String plural = names != null ? names[0] : d.kind().toLowerCase() + "s";
        boolean namespaced = names == null || "Namespaced".equals(names[1]);
        return new ResourceDefinitionContext.Builder().withGroup(d.group()).withVersion(d.version()).withKind(d.kind())
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    static boolean namespaced(HasMetadata m) {
        return m instanceof Namespaced;
    }
}
