package io.mfagov.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "checked in CI without a cluster" list, on deploy/k8s/overlays/{dev,prod}: rendered with kustomize
 * itself, loaded into the fabric8 and operator models, applied to fabric8's mock API server, validated against the
 * operators' schemas, and cross-checked against the services' code.
 */
class DeployK8sTest {

    private static Manifests overlay(String name) {
        return Manifests.render(Repo.overlay(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayRendersAndEveryDocumentLoadsIntoAModelOrASchema(String name) {
        Manifests m = overlay(name);
        assertThat(m.docs).isNotEmpty();
        assertThat(Checks.uncheckedKinds(m, CrdSchemas.load())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayAppliesToTheMockApiServer(String name) {
        assertThat(MockCluster.apply(overlay(name), CrdSchemas.load())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void strimziPrometheusAndCoreResourcesHaveNoUnknownFields(String name) {
        assertThat(Checks.unknownFields(overlay(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void strimziCloudNativePgKedaBarmanAndExternalSecretsResourcesMatchTheirCrdSchemas(String name) {
        assertThat(CrdSchemas.load().violations(overlay(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noSecretCarriesALiteralValue(String name) {
        assertThat(Checks.literalSecrets(overlay(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvVarMapsToAConfigPropertyOfItsService(String name) {
        assertThat(Checks.unmappedEnvVars(overlay(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyProbeIsOnAHealthPathOfTheManagementInterface(String name) {
        assertThat(Checks.probeViolations(overlay(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicTheCodeUsesHasAKafkaTopicAndTheAclsItsServicesNeed(String name) {
        assertThat(Checks.topicViolations(overlay(name))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void kustomizationsUseLabelsNotCommonLabels() {
        assertThat(Checks.deprecatedKustomizeFields(Repo.k8s())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theScannerScalesOnItsOwnTopicAndGroupWithinThePartitionCount(String name) {
        assertThat(Checks.scalingViolations(overlay(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPodIsHardenedAndDrainsWithinItsGracePeriod(String name) {
        assertThat(Checks.hardeningViolations(overlay(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void prometheusScrapesEveryServiceThroughItsManagementService(String name) {
        assertThat(Checks.metricsViolations(overlay(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceReachesKafkaAsItsOwnKafkaUser(String name) {
        assertThat(Checks.kafkaWiringViolations(overlay(name))).isEmpty();
    }
}
