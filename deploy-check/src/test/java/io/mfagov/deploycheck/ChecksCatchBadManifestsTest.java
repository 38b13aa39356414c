package io.mfagov.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The checks against small fixtures: the good one passes every check, and each bad one (the good one with one thing
 * broken) is caught by the check meant for it, with a message naming what is wrong. So a green run on deploy/k8s
 * means something.
 */
class ChecksCatchBadManifestsTest {

    private static Manifests render(String fixture) {
        return Manifests.render(Repo.fixture(fixture));
    }

    @Test
    void theGoodFixturePassesEveryCheck() {
        Manifests good = render("good");
        CrdSchemas crds = CrdSchemas.load();
        assertThat(Checks.deprecatedKustomizeFields(Repo.fixture("good"))).isEmpty();
        assertThat(Checks.unknownFields(good)).isEmpty();
        assertThat(Checks.uncheckedKinds(good, crds)).isEmpty();
        assertThat(crds.violations(good)).isEmpty();
        assertThat(Checks.literalSecrets(good)).isEmpty();
        assertThat(Checks.unmappedEnvVars(good)).isEmpty();
        assertThat(Checks.probeViolations(good)).isEmpty();
        assertThat(Checks.topicViolations(good)).isEmpty();
        assertThat(Checks.scalingViolations(good)).isEmpty();
        assertThat(Checks.hardeningViolations(good)).isEmpty();
        assertThat(Checks.metricsViolations(good)).isEmpty();
        assertThat(Checks.kafkaWiringViolations(good)).isEmpty();
        assertThat(MockCluster.apply(good, crds)).isEmpty();
        assertThat(good.docs).extracting(Manifests.Doc::kind)
                .contains("Deployment", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster", "Database",
                        "ScheduledBackup", "ObjectStore", "ScaledObject", "TriggerAuthentication", "ServiceMonitor",
                        "PrometheusRule", "ExternalSecret");
    }

    @Test
    void commonLabelsInAKustomizationIsRefused() {
        assertThat(Checks.deprecatedKustomizeFields(Repo.fixture("bad-common-labels")))
                .singleElement().asString().contains("commonLabels").contains("labels:");
    }

    @Test
    void anUnknownFieldInAStrimziResourceIsRefused() {
        assertThat(Checks.unknownFields(render("bad-strimzi-field")))
                .singleElement().asString().contains("KafkaTopic/mfagov-alerts").contains("replicationFactor");
    }

    @Test
    void anUnknownFieldInACoreResourceIsRefused() {
        assertThat(Checks.unknownFields(render("bad-core-field")))
                .singleElement().asString().contains("Deployment/scanner").contains("imagePullPolicey");
    }

    @Test
    void anUnknownFieldInAKedaResourceIsRefusedByItsCrdSchema() {
        assertThat(CrdSchemas.load().violations(render("bad-crd-field")))
                .singleElement().asString().contains("ScaledObject/scanner").contains("maxReplicas");
    }

    @Test
    void anUnknownFieldInAStrimziResourceIsAlsoRefusedByStrimzisV1Schema() {
        assertThat(CrdSchemas.load().violations(render("bad-strimzi-field")))
                .singleElement().asString().contains("KafkaTopic/mfagov-alerts").contains("replicationFactor");
    }

    @Test
    void aSecretWithALiteralValueIsRefused() {
        assertThat(Checks.literalSecrets(render("bad-literal-secret")))
                .singleElement().asString().contains("Secret/graph-app").contains("client-secret");
    }

    @Test
    void anEnvVarThatMapsToNoRunTimePropertyIsRefused() {
        assertThat(Checks.unmappedEnvVars(render("bad-env-var"))).hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("MFAGOV_GRAPH_SECRET_FILE").contains("scanner-service"))
                // in application.properties, but fixed at build time: setting it in the cluster changes nothing
                .anySatisfy(v -> assertThat(v).contains("QUARKUS_SWAGGER_UI_ALWAYS_INCLUDE"));
    }

    @Test
    void aTopicWithoutKafkaTopicIsRefused() {
        assertThat(Checks.topicViolations(render("bad-missing-topic")))
                .singleElement().asString().contains("mfagov.alerts.dlq").contains("no KafkaTopic");
    }

    @Test
    void aProbeOffTheHealthPathsOrManagementPortIsRefused() {
        assertThat(Checks.probeViolations(render("bad-probe")))
                .anySatisfy(v -> assertThat(v).contains("readinessProbe path /health/ready"))
                .anySatisfy(v -> assertThat(v).contains("readinessProbe port http"));
    }

    @Test
    void anAclThatIsMissingIsRefused() {
        // the good fixture minus nothing but a check on its needs: every need is met by exactly its own user
        assertThat(Checks.kafkaNeeds()).extracting(Object::toString)
                .contains("scanner needs READ on topic mfagov.scan-requests", "scanner needs READ on group mfagov-scanner",
                        "register needs WRITE on topic mfagov.alerts", "notifier needs WRITE on topic mfagov.alerts.dlq");
    }

    @Test
    void scalingBeyondThePartitionCountIsRefused() {
        assertThat(Checks.scalingViolations(render("bad-scaling")))
                .singleElement().asString().contains("maxReplicaCount 48").contains("12 partitions of mfagov.scan-requests");
    }

    @Test
    void aWritableRootFilesystemIsRefused() {
        assertThat(Checks.hardeningViolations(render("bad-hardening")))
                .singleElement().asString().contains("container scanner").contains("readOnlyRootFilesystem");
    }

    @Test
    void scrapingThePublicPortIsRefused() {
        assertThat(Checks.metricsViolations(render("bad-metrics")))
                .singleElement().asString().contains("Service/scanner-management").contains("management interface");
    }

    @Test
    void kafkaCredentialsOfAnotherUserAreRefused() {
        assertThat(Checks.kafkaWiringViolations(render("bad-kafka-user")))
                .singleElement().asString().contains("KAFKA_SASL_JAAS_CONFIG").contains("mfagov-scanner");
    }
}
