package io.mfagov.graphsim;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.core.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.Contract;
import com.microsoft.graph.models.DelegatedAdminCustomer;
import com.microsoft.graph.models.DelegatedAdminRelationship;
import com.microsoft.graph.models.DelegatedAdminRelationshipCollectionResponse;
import com.microsoft.graph.models.DelegatedAdminRelationshipStatus;
import com.microsoft.graph.models.Organization;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mfagov.graphsim.testing.OnboardingFixture;
import io.mfagov.graphsim.testing.SelfSignedCertificate;
import io.mfagov.graphsim.testing.ServiceAccountTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.mfagov.graphsim.testing.OnboardingFixture.ACTIVE;
import static io.mfagov.graphsim.testing.OnboardingFixture.CERTIFICATE_ONLY;
import static io.mfagov.graphsim.testing.OnboardingFixture.CERT_APP_ID;
import static io.mfagov.graphsim.testing.OnboardingFixture.CONTRACT_ONLY;
import static io.mfagov.graphsim.testing.OnboardingFixture.ENDED;
import static io.mfagov.graphsim.testing.OnboardingFixture.EXPIRING;
import static io.mfagov.graphsim.testing.OnboardingFixture.MISSING_PERMISSION;
import static io.mfagov.graphsim.testing.OnboardingFixture.MSP_APP_ID;
import static io.mfagov.graphsim.testing.OnboardingFixture.MSP_APP_SECRET;
import static io.mfagov.graphsim.testing.OnboardingFixture.NO_CONSENT;
import static io.mfagov.graphsim.testing.OnboardingFixture.PARTNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The onboarding fixture through the real azure-identity and Graph SDK: the partner tenant's contracts and GDAP
 * customers/relationships (shapes, statuses, paging, $filter, permission checks), every tenant's organization, and
 * each customer's access outcome for the MSP app (consent, missing permission, certificate-only, federated).
 */
class OnboardingPartnerTest {

    static final String SCOPE = "https://graph.microsoft.com/.default";
    static GraphSimulator sim;

    @BeforeAll
    static void start() {
        sim = GraphSimulator.start(OnboardingFixture.configure(Http.config()).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static TokenCredential secret(GraphSimulator s, String tenant, String clientId, String secret) {
        return new ClientSecretCredentialBuilder().tenantId(tenant).clientId(clientId).clientSecret(secret)
                .authorityHost(s.authorityUrl()).disableInstanceDiscovery().build();
    }

    static GraphServiceClient graph(GraphSimulator s, TokenCredential c) {
        var auth = new AzureIdentityAuthenticationProvider(c, new String[] {"127.0.0.1"}, SCOPE);
        BaseGraphRequestAdapter adapter = new BaseGraphRequestAdapter(auth);
        adapter.setBaseUrl(s.graphBaseUrl());
        return new GraphServiceClient(adapter);
    }

    static GraphServiceClient partnerGraph(GraphSimulator s) {
        return graph(s, secret(s, PARTNER, MSP_APP_ID, MSP_APP_SECRET));
    }

    static Set<String> roles(String jwt) {
        try {
            Set<String> r = new TreeSet<>();
            Http.M.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1])).path("roles").forEach(n -> r.add(n.asText()));
            return r;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String token(TokenCredential c) {
        return c.getTokenSync(new TokenRequestContext().addScopes(SCOPE)).getToken();
    }

    @Test
    void thePartnerTenantListsItsContractsWithTheNamesCopiedWhenThePartnershipBegan() {
        List<Contract> contracts = partnerGraph(sim).contracts().get().getValue();
        assertThat(contracts).extracting(c -> c.getCustomerId().toString()).containsExactlyInAnyOrderElementsOf(OnboardingFixture.CONTRACT_CUSTOMERS);
        Contract alpine = contracts.stream().filter(c -> c.getCustomerId().toString().equals(ACTIVE)).findFirst().orElseThrow();
        assertThat(alpine.getContractType()).isEqualTo("ResellerPartner");
        assertThat(alpine.getDisplayName()).isEqualTo("Alpine Ski House Ltd");
        assertThat(alpine.getDefaultDomainName()).isEqualTo("alpineskihouse.com");
        assertThat(alpine.getId()).isNotBlank();
        // by id, with $select
        Http.Res one = Http.get(sim.graphBaseUrl() + "/contracts/" + alpine.getId() + "?$select=customerId,displayName",
                token(secret(sim, PARTNER, MSP_APP_ID, MSP_APP_SECRET)));
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("customerId").asText()).isEqualTo(ACTIVE);
        assertThat(one.json().has("contractType")).isFalse();
    }

    @Test
    void gdapRelationshipsCarryTheirStatusEndDateAndAutoExtension() {
        List<DelegatedAdminRelationship> rels = partnerGraph(sim).tenantRelationships().delegatedAdminRelationships().get().getValue();
        Map<String, DelegatedAdminRelationship> byCustomer = rels.stream()
                .collect(Collectors.toMap(r -> r.getCustomer().getTenantId(), r -> r));
        assertThat(byCustomer.keySet()).containsExactlyInAnyOrderElementsOf(OnboardingFixture.GDAP_CUSTOMERS);
        DelegatedAdminRelationship ended = byCustomer.get(ENDED);
        assertThat(ended.getStatus()).isEqualTo(DelegatedAdminRelationshipStatus.Terminated);
        assertThat(ended.getEndDateTime()).isBefore(OffsetDateTime.now());
        DelegatedAdminRelationship expiring = byCustomer.get(EXPIRING);
        assertThat(expiring.getStatus()).isEqualTo(DelegatedAdminRelationshipStatus.Active);
        assertThat(expiring.getEndDateTime()).isBetween(OffsetDateTime.now().plusDays(13), OffsetDateTime.now().plusDays(15));
        assertThat(expiring.getAutoExtendDuration().toString()).isEqualTo("PT0S");
        DelegatedAdminRelationship active = byCustomer.get(ACTIVE);
        assertThat(active.getAutoExtendDuration().toString()).isEqualTo("P180D");
        assertThat(active.getId()).isEqualTo(OnboardingFixture.ACTIVE_RELATIONSHIP);
        assertThat(active.getAccessDetails().getUnifiedRoles()).extracting(r -> r.getRoleDefinitionId())
                .contains("5d6b6bb7-de71-4623-b4af-96380a352509");
        assertThat(active.getActivatedDateTime()).isNotNull();
        assertThat(active.getDuration().toString()).isEqualTo("P730D");

        List<DelegatedAdminCustomer> customers = partnerGraph(sim).tenantRelationships().delegatedAdminCustomers().get().getValue();
        assertThat(customers).extracting(DelegatedAdminCustomer::getTenantId).containsExactlyInAnyOrderElementsOf(OnboardingFixture.GDAP_CUSTOMERS);
        assertThat(customers).allSatisfy(c -> assertThat(c.getId()).isEqualTo(c.getTenantId()));
    }

    @Test
    void relationshipsPageWithNextLinksAndFilterOnStatusAndCustomer() throws Exception {
        GraphServiceClient g = partnerGraph(sim);
        DelegatedAdminRelationshipCollectionResponse first = g.tenantRelationships().delegatedAdminRelationships()
                .get(rc -> rc.queryParameters.top = 2);
        assertThat(first.getValue()).hasSize(2);
        assertThat(first.getOdataNextLink()).startsWith(sim.graphBaseUrl() + "/tenantRelationships/delegatedAdminRelationships?");
        List<String> ids = new ArrayList<>();
        new PageIterator.Builder<DelegatedAdminRelationship, DelegatedAdminRelationshipCollectionResponse>().client(g)
                .collectionPage(first).collectionPageFactory(DelegatedAdminRelationshipCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(r -> ids.add(r.getId())).build().iterate();
        assertThat(ids).hasSize(6).doesNotHaveDuplicates();

        List<DelegatedAdminRelationship> active = g.tenantRelationships().delegatedAdminRelationships()
                .get(rc -> rc.queryParameters.filter = "status eq 'active'").getValue();
        assertThat(active).extracting(r -> r.getCustomer().getTenantId())
                .containsExactlyInAnyOrder(ACTIVE, EXPIRING, NO_CONSENT, MISSING_PERMISSION, CERTIFICATE_ONLY);
        List<DelegatedAdminRelationship> one = g.tenantRelationships().delegatedAdminRelationships()
                .get(rc -> rc.queryParameters.filter = "customer/tenantId eq '" + ENDED + "'").getValue();
        assertThat(one).hasSize(1);
        // as Microsoft's example: the tenantRelationships metadata document
        Http.Res raw = Http.get(sim.graphBaseUrl() + "/tenantRelationships/delegatedAdminRelationships?$top=1",
                token(secret(sim, PARTNER, MSP_APP_ID, MSP_APP_SECRET)));
        assertThat(raw.json().get("@odata.context").asText())
                .isEqualTo(sim.graphBaseUrl() + "/tenantRelationships/$metadata#delegatedAdminRelationships");
        assertThat(raw.json().at("/value/0/@odata.type").asText()).isEqualTo("#microsoft.graph.delegatedAdminRelationship");
        assertThat(raw.json().at("/value/0/@odata.etag").asText()).startsWith("W/\"");
        assertThat(Http.get(sim.graphBaseUrl() + "/tenantRelationships/delegatedAdminRelationships?$top=301",
                token(secret(sim, PARTNER, MSP_APP_ID, MSP_APP_SECRET))).status()).isEqualTo(400);
    }

    @Test
    void partnerReadsWithoutTheirPermissionAre403AndOrganizationNeedsOrganizationOrDirectoryRead() {
        try (GraphSimulator s = GraphSimulator.start(OnboardingFixture.configure(Http.config()).build())) {
            s.admin().consent(PARTNER, MSP_APP_ID, Set.of("Organization.Read.All"));
            GraphServiceClient g = partnerGraph(s);
            assertThatThrownBy(() -> g.tenantRelationships().delegatedAdminRelationships().get())
                    .isInstanceOfSatisfying(ODataError.class, e -> {
                        assertThat(e.getResponseStatusCode()).isEqualTo(403);
                        assertThat(e.getError().getCode()).isEqualTo("Authorization_RequestDenied");
                    });
            assertThatThrownBy(() -> g.contracts().get()).isInstanceOf(ODataError.class);
            assertThat(g.organization().get().getValue().get(0).getId()).isEqualTo(PARTNER);

            s.admin().consent(PARTNER, MSP_APP_ID, Set.of("DelegatedAdminRelationship.Read.All"));
            GraphServiceClient g2 = partnerGraph(s);
            assertThat(g2.tenantRelationships().delegatedAdminCustomers().get().getValue()).hasSize(6);
            assertThatThrownBy(() -> g2.organization().get())
                    .isInstanceOfSatisfying(ODataError.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(403));
        }
    }

    @Test
    void everyTenantAnswersItsOrganizationWithNameAndVerifiedDomains() {
        GraphServiceClient g = graph(sim, secret(sim, ACTIVE, MSP_APP_ID, MSP_APP_SECRET));
        Organization org = g.organization().get(rc -> rc.queryParameters.select = new String[] {"id", "displayName", "verifiedDomains"})
                .getValue().get(0);
        assertThat(org.getId()).isEqualTo(ACTIVE);
        assertThat(org.getDisplayName()).isEqualTo("Alpine Ski House");
        assertThat(org.getVerifiedDomains()).anySatisfy(d -> {
            assertThat(d.getName()).isEqualTo("alpineskihouse.com");
            assertThat(d.getIsDefault()).isTrue();
            assertThat(d.getIsInitial()).isFalse();
        }).anySatisfy(d -> {
            assertThat(d.getName()).isEqualTo("alpineskihouse.onmicrosoft.com");
            assertThat(d.getIsInitial()).isTrue();
            assertThat(d.getIsDefault()).isFalse();
        });
        assertThat(g.organization().byOrganizationId(ACTIVE).get().getDisplayName()).isEqualTo("Alpine Ski House");
        for (String t : List.of(PARTNER, ENDED, EXPIRING, MISSING_PERMISSION, CONTRACT_ONLY)) {
            assertThat(Http.get(sim, t, "/organization?$select=id,displayName").json().at("/value/0/id").asText()).isEqualTo(t);
        }
    }

    @Test
    void aRenamedCustomerAndAChangedRelationshipShowInGraphWhileTheContractCopyStays() {
        try (GraphSimulator s = GraphSimulator.start(OnboardingFixture.configure(Http.config()).build())) {
            s.admin().renameTenant(EXPIRING, "Wide World Importers Group");
            assertThat(Http.get(s, EXPIRING, "/organization").json().at("/value/0/displayName").asText())
                    .isEqualTo("Wide World Importers Group");
            GraphServiceClient g = partnerGraph(s);
            assertThat(g.contracts().get().getValue()).filteredOn(c -> c.getCustomerId().toString().equals(EXPIRING))
                    .extracting(Contract::getDisplayName).containsExactly("Wide World Importers");

            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            s.admin().setRelationshipStatus(PARTNER, OnboardingFixture.CERTIFICATE_ONLY_RELATIONSHIP, "terminated", now);
            DelegatedAdminRelationship r = g.tenantRelationships().delegatedAdminRelationships()
                    .byDelegatedAdminRelationshipId(OnboardingFixture.CERTIFICATE_ONLY_RELATIONSHIP).get();
            assertThat(r.getStatus()).isEqualTo(DelegatedAdminRelationshipStatus.Terminated);
            assertThat(r.getEndDateTime().toInstant()).isEqualTo(now);
            // the admin HTTP API does the same
            Http.Res viaHttp = Http.method("PUT", s.adminUrl() + "/tenants/" + PARTNER + "/relationships/"
                    + OnboardingFixture.ACTIVE_RELATIONSHIP, null, "{\"status\":\"expired\"}");
            assertThat(viaHttp.status()).isEqualTo(200);
            assertThat(g.tenantRelationships().delegatedAdminRelationships().get(rc -> rc.queryParameters.filter = "status eq 'active'")
                    .getValue()).hasSize(3);
            assertThat(Http.method("PUT", s.adminUrl() + "/tenants/" + PARTNER + "/relationships/"
                    + OnboardingFixture.ACTIVE_RELATIONSHIP, null, "{\"status\":\"gone\"}").status()).isEqualTo(400);
        }
    }

    @Test
    void eachCustomerGivesTheMspAppTheAccessItsStateSays() throws Exception {
        assertThat(roles(token(secret(sim, ACTIVE, MSP_APP_ID, MSP_APP_SECRET)))).isEqualTo(new TreeSet<>(OnboardingFixture.FULL_PERMISSIONS));
        assertThat(roles(token(secret(sim, MISSING_PERMISSION, MSP_APP_ID, MSP_APP_SECRET)))).containsExactly("Directory.Read.All");
        assertThat(roles(token(secret(sim, PARTNER, MSP_APP_ID, MSP_APP_SECRET))))
                .isEqualTo(new TreeSet<>(OnboardingFixture.PARTNER_PERMISSIONS));
        assertThatThrownBy(() -> token(secret(sim, NO_CONSENT, MSP_APP_ID, MSP_APP_SECRET))).hasMessageContaining("AADSTS700016");
        assertThatThrownBy(() -> token(secret(sim, CERTIFICATE_ONLY, MSP_APP_ID, MSP_APP_SECRET))).hasMessageContaining("AADSTS700016");
        assertThatThrownBy(() -> token(secret(sim, ACTIVE, MSP_APP_ID, OnboardingFixture.MSP_APP_EXPIRED_SECRET)))
                .hasMessageContaining("AADSTS7000222");
        assertThatThrownBy(() -> token(secret(sim, ACTIVE, MSP_APP_ID, "wrong"))).hasMessageContaining("AADSTS7000215");
        assertThatThrownBy(() -> token(secret(sim, "0b5e7a10-0000-4000-8000-00000000ffff", MSP_APP_ID, MSP_APP_SECRET)))
                .hasMessageContaining("AADSTS90002");
    }

    @Test
    void theCertificateOnlyCustomerAcceptsTheUploadedCertificateAndTheMspAppFederatesFromTheCluster() throws Exception {
        try (GraphSimulator s = GraphSimulator.start(OnboardingFixture.configure(Http.config()).build())) {
            Path dir = Files.createDirectories(Path.of("target", "onboarding-test"));
            SelfSignedCertificate cert = SelfSignedCertificate.create("CN=mfagov-onboarding");
            s.admin().addCertificate(CERT_APP_ID, cert.certificate());
            Path pem = cert.writePem(dir.resolve("cert-app.pem"));
            TokenCredential byCert = new ClientCertificateCredentialBuilder().tenantId(CERTIFICATE_ONLY).clientId(CERT_APP_ID)
                    .pemCertificate(pem.toString()).authorityHost(s.authorityUrl()).disableInstanceDiscovery().build();
            GraphServiceClient g = graph(s, byCert);
            assertThat(g.identity().conditionalAccess().policies().get().getValue()).hasSize(1);
            assertThat(g.organization().get().getValue().get(0).getDisplayName()).isEqualTo("Coho Winery");

            ServiceAccountTokenIssuer cluster = ServiceAccountTokenIssuer.create(OnboardingFixture.FEDERATED_ISSUER);
            s.admin().trustIssuer(cluster.issuer(), cluster.publicKey());
            Path tokenFile = cluster.writeToken(dir.resolve("sa-token"), OnboardingFixture.FEDERATED_SUBJECT);
            TokenCredential federated = new ClientAssertionCredentialBuilder().tenantId(ACTIVE).clientId(MSP_APP_ID)
                    .clientAssertion(() -> {
                        try {
                            return Files.readString(tokenFile).trim();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).authorityHost(s.authorityUrl()).disableInstanceDiscovery().build();
            assertThat(graph(s, federated).organization().get().getValue().get(0).getId()).isEqualTo(ACTIVE);
        }
    }

    @Test
    void aTenantThatIsNoPartnerHasNoContractsOrRelationships() {
        JsonNode contracts = Http.get(sim, ACTIVE, "/contracts").json();
        assertThat(contracts.get("value")).isEmpty();
        // the tenant's own app holds Directory.Read.All (contracts) but not DelegatedAdminRelationship.Read.All
        Http.Res gdap = Http.get(sim, ACTIVE, "/tenantRelationships/delegatedAdminRelationships");
        assertThat(gdap.status()).isEqualTo(403);
        assertThat(gdap.json().at("/error/code").asText()).isEqualTo("Authorization_RequestDenied");
        assertThat(gdap.json().at("/error/message").asText()).isEqualTo("Insufficient privileges to complete the operation.");
    }

    @Test
    void anInvalidPartnerSectionFailsTheStartNamingTheTenantAndTheProblem() {
        var partner = OnboardingFixture.tenants().get(0);
        partner.partner.delegatedAdminRelationships.get(0).put("status", "gone");
        assertThatThrownBy(() -> Fixtures.build(List.of(partner)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant " + PARTNER).hasMessageContaining("status");
        var noCustomer = OnboardingFixture.tenants().get(0);
        noCustomer.partner.contracts.get(0).remove("customerId");
        assertThatThrownBy(() -> Fixtures.build(List.of(noCustomer))).hasMessageContaining("contract customerId is required");
    }
}
