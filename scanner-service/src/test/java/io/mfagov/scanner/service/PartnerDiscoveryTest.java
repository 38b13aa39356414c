package io.mfagov.scanner.service;

import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.testing.OnboardingFixture;
import io.mfagov.graphsim.testing.SelfSignedCertificate;
import io.mfagov.graphsim.testing.ServiceAccountTokenIssuer;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.CustomerDiscovered;
import io.mfagov.model.events.DelegatedRelationship;
import io.mfagov.model.events.DiscoveryCompleted;
import io.mfagov.model.events.NameSource;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.CredentialSet;
import io.mfagov.scanner.graph.CredentialSets;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.support.Simulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.mfagov.graphsim.testing.OnboardingFixture.ACTIVE;
import static io.mfagov.graphsim.testing.OnboardingFixture.CERTIFICATE_ONLY;
import static io.mfagov.graphsim.testing.OnboardingFixture.CONTRACT_ONLY;
import static io.mfagov.graphsim.testing.OnboardingFixture.ENDED;
import static io.mfagov.graphsim.testing.OnboardingFixture.EXPIRING;
import static io.mfagov.graphsim.testing.OnboardingFixture.MISSING_PERMISSION;
import static io.mfagov.graphsim.testing.OnboardingFixture.MSP_APP_ID;
import static io.mfagov.graphsim.testing.OnboardingFixture.NO_CONSENT;
import static io.mfagov.graphsim.testing.OnboardingFixture.PARTNER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery from the onboarding fixture's partner tenant through the real SDK and azure-identity: contracts and GDAP
 * relationships united per customer, each customer's own access check and current name, every credential kind.
 */
class PartnerDiscoveryTest {

    private static final SelfSignedCertificate CERT = SelfSignedCertificate.create("CN=coho-certificate-app");
    private static final ServiceAccountTokenIssuer CLUSTER = ServiceAccountTokenIssuer.create(OnboardingFixture.FEDERATED_ISSUER);

    private static GraphSimulator sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sim = Simulators.startTrusted(OnboardingFixture.configure(Simulators.issuingTokens())
                .trustedIssuer(CLUSTER.issuer(), CLUSTER.publicKey()));
        sim.admin().addCertificate(OnboardingFixture.CERT_APP_ID, CERT.certificate());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private PartnerDiscovery discovery(String defaultSecret) {
        ScannerSettings settings = Simulators.settings(sim).withClientSecret(MSP_APP_ID, defaultSecret, sim.authorityUrl());
        Path pem = CERT.writePem(dir.resolve("coho.pem"));
        Path token = CLUSTER.writeToken(dir.resolve("sa-token"), OnboardingFixture.FEDERATED_SUBJECT);
        CredentialSet certificate = new CredentialSet("coho-certificate", Optional.of(OnboardingFixture.CERT_APP_ID),
                Optional.empty(), Optional.empty(), Optional.of(pem.toString()), Optional.empty(), Optional.empty(),
                sim.authorityUrl());
        CredentialSet federated = new CredentialSet("workload", Optional.of(MSP_APP_ID), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(token.toString()), sim.authorityUrl());
        return new PartnerDiscovery(new GraphClientFactory(settings, CredentialSets.of(settings, certificate, federated)),
                Clock.systemUTC(), 4);
    }

    private static Map<String, CustomerDiscovered> byTenant(PartnerDiscovery.Outcome outcome) {
        return outcome.customers().stream().collect(Collectors.toMap(CustomerDiscovered::customerTenantId, Function.identity()));
    }

    @Test
    void everyCustomerIsDiscoveredWithItsRelationshipsItsOwnNameAndItsAccess() {
        UUID requestId = UUID.randomUUID();
        PartnerDiscovery.Outcome outcome;
        try (PartnerDiscovery discovery = discovery(OnboardingFixture.MSP_APP_SECRET)) {
            outcome = discovery.discover(PARTNER, requestId, null, Map.of(CERTIFICATE_ONLY, "coho-certificate"));
        }
        DiscoveryCompleted done = outcome.completed();
        Map<String, CustomerDiscovered> c = byTenant(outcome);

        assertThat(done.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(done.requestId()).isEqualTo(requestId);
        assertThat(done.customerCount()).isEqualTo(7);
        assertThat(done.accessStatus()).as("every discovery permission is granted in the partner tenant")
                .isEqualTo(AccessStatus.OK);
        assertThat(done.missingPermissions()).isEmpty();
        assertThat(done.graphRequestCount()).isGreaterThanOrEqualTo(3);
        assertThat(c.keySet()).containsExactlyInAnyOrderElementsOf(OnboardingFixture.CUSTOMERS);
        assertThat(outcome.customers()).allMatch(x -> x.tenantId().equals(PARTNER)
                && x.discoveryId().equals(done.discoveryId()) && requestId.equals(x.requestId()));

        CustomerDiscovered active = c.get(ACTIVE);
        assertThat(active.displayName()).as("the tenant's own name, not the contract's copy").isEqualTo("Alpine Ski House");
        assertThat(active.nameSource()).isEqualTo(NameSource.ORGANIZATION);
        assertThat(active.defaultDomain()).isEqualTo("alpineskihouse.com");
        assertThat(active.contractType()).isEqualTo("ResellerPartner");
        assertThat(active.relationships()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(OnboardingFixture.ACTIVE_RELATIONSHIP);
            assertThat(r.grantsAccess()).isTrue();
            assertThat(r.autoExtends()).isTrue();
            assertThat(r.roleDefinitionIds()).contains("5d6b6bb7-de71-4623-b4af-96380a352509");
            assertThat(r.endDateTime()).isAfter(Instant.now());
        });
        // the token's roles are what the fixture consented: judged by the permission table
        io.mfagov.scanner.graph.PermissionTable.Assessment consented =
                io.mfagov.scanner.graph.PermissionTable.assess(OnboardingFixture.FULL_PERMISSIONS);
        assertThat(active.missingPermissions()).containsExactlyElementsOf(consented.missingPermissions())
                .doesNotContain("Policy.Read.All", "Directory.Read.All");
        assertThat(active.accessStatus()).isEqualTo(consented.missingPermissions().isEmpty()
                ? AccessStatus.OK : AccessStatus.MISSING_PERMISSIONS);

        assertThat(c.get(ENDED).relationships()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("terminated");
            assertThat(r.ended()).isTrue();
        });
        assertThat(c.get(ENDED).contractType()).isNull();

        DelegatedRelationship expiring = c.get(EXPIRING).relationships().get(0);
        assertThat(expiring.grantsAccess()).isTrue();
        assertThat(expiring.autoExtends()).isFalse();
        assertThat(expiring.endDateTime()).isBetween(Instant.now(), Instant.now().plus(Duration.ofDays(15)));

        CustomerDiscovered noConsent = c.get(NO_CONSENT);
        assertThat(noConsent.accessStatus()).isEqualTo(AccessStatus.NO_CONSENT);
        assertThat(noConsent.consentUrl()).contains("/" + NO_CONSENT + "/v2.0/adminconsent?client_id=" + MSP_APP_ID);
        assertThat(noConsent.nameSource()).as("its organization cannot be read without a token")
                .isEqualTo(NameSource.DELEGATED_ADMIN_CUSTOMER);
        assertThat(noConsent.displayName()).isEqualTo("Litware Inc");

        CustomerDiscovered missing = c.get(MISSING_PERMISSION);
        assertThat(missing.accessStatus()).isEqualTo(AccessStatus.MISSING_PERMISSIONS);
        assertThat(missing.missingPermissions()).startsWith("Policy.Read.All");
        assertThat(missing.nameSource()).as("Directory.Read.All reads the organization").isEqualTo(NameSource.ORGANIZATION);

        CustomerDiscovered certificateOnly = c.get(CERTIFICATE_ONLY);
        assertThat(certificateOnly.accessStatus()).as("checked with its own credential set (certificate)")
                .isIn(AccessStatus.OK, AccessStatus.MISSING_PERMISSIONS);
        assertThat(certificateOnly.consentUrl()).contains("client_id=" + OnboardingFixture.CERT_APP_ID);
        assertThat(certificateOnly.nameSource()).isEqualTo(NameSource.ORGANIZATION);

        CustomerDiscovered contractOnly = c.get(CONTRACT_ONLY);
        assertThat(contractOnly.relationships()).isEmpty();
        assertThat(contractOnly.contractType()).isNotNull();
    }

    @Test
    void withoutTheCustomersCredentialSetTheCertificateOnlyCustomerHasNoConsentForTheMspApp() {
        PartnerDiscovery.Outcome outcome;
        try (PartnerDiscovery discovery = discovery(OnboardingFixture.MSP_APP_SECRET)) {
            outcome = discovery.discover(PARTNER, null, null, Map.of());
        }

        assertThat(byTenant(outcome).get(CERTIFICATE_ONLY).accessStatus()).isEqualTo(AccessStatus.NO_CONSENT);
        assertThat(byTenant(outcome).get(CERTIFICATE_ONLY).consentUrl()).contains("client_id=" + MSP_APP_ID);
    }

    @Test
    void aRenamedCustomerIsDiscoveredUnderItsNewName() {
        sim.admin().renameTenant(EXPIRING, "Wide World Importers GmbH");
        PartnerDiscovery.Outcome outcome;
        try (PartnerDiscovery discovery = discovery(OnboardingFixture.MSP_APP_SECRET)) {
            outcome = discovery.discover(PARTNER, null, null, Map.of());
        } finally {
            sim.admin().renameTenant(EXPIRING, "Wide World Importers");
        }

        assertThat(byTenant(outcome).get(EXPIRING).displayName()).isEqualTo("Wide World Importers GmbH");
        assertThat(byTenant(outcome).get(EXPIRING).nameSource()).isEqualTo(NameSource.ORGANIZATION);
    }

    @Test
    void withoutTheGdapPermissionInThePartnerTenantTheDiscoveryIsPartialAndSaysWhatToGrant() {
        sim.admin().consent(PARTNER, MSP_APP_ID, java.util.Set.of("Directory.Read.All"));
        PartnerDiscovery.Outcome outcome;
        long gdapReadsBefore = sim.counters().forTenant(PARTNER, "delegatedAdminRelationships");
        try (PartnerDiscovery discovery = discovery(OnboardingFixture.MSP_APP_SECRET)) {
            outcome = discovery.discover(PARTNER, null, null, Map.of());
        } finally {
            sim.admin().consent(PARTNER, MSP_APP_ID, OnboardingFixture.PARTNER_PERMISSIONS);
        }

        DiscoveryCompleted done = outcome.completed();
        assertThat(done.status()).isEqualTo(ScanStatus.PARTIAL);
        assertThat(done.accessStatus()).isEqualTo(AccessStatus.MISSING_PERMISSIONS);
        assertThat(done.missingPermissions()).containsExactly("DelegatedAdminRelationship.Read.All");
        assertThat(done.failedReads()).contains("delegatedAdminCustomers", "delegatedAdminRelationships");
        assertThat(done.error()).contains("DelegatedAdminRelationship.Read.All");
        assertThat(outcome.customers()).extracting(CustomerDiscovered::customerTenantId)
                .containsExactlyInAnyOrderElementsOf(OnboardingFixture.CONTRACT_CUSTOMERS);
        assertThat(sim.counters().forTenant(PARTNER, "delegatedAdminRelationships"))
                .as("a read without its permission is not attempted").isEqualTo(gdapReadsBefore);
    }

    @Test
    void aRejectedPartnerCredentialFailsTheDiscoveryWithTheReason() {
        PartnerDiscovery.Outcome outcome;
        try (PartnerDiscovery discovery = discovery(OnboardingFixture.MSP_APP_EXPIRED_SECRET)) {
            outcome = discovery.discover(PARTNER, null, null, Map.of());
        }

        assertThat(outcome.customers()).isEmpty();
        assertThat(outcome.completed().status()).isEqualTo(ScanStatus.FAILED);
        assertThat(outcome.completed().accessStatus()).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
        assertThat(outcome.completed().error()).contains("AADSTS7000222")
                .doesNotContain(OnboardingFixture.MSP_APP_EXPIRED_SECRET);
    }

    @Test
    void aFederatedCredentialDiscoversWithoutAnySecret() {
        PartnerDiscovery.Outcome outcome;
        try (PartnerDiscovery discovery = discovery("not-the-secret-" + UUID.randomUUID())) {
            outcome = discovery.discover(PARTNER, null, "workload", Map.of());
        }

        assertThat(outcome.completed().status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(outcome.customers()).hasSize(7);
        assertThat(byTenant(outcome).get(ACTIVE).nameSource()).isEqualTo(NameSource.ORGANIZATION);
    }
}
