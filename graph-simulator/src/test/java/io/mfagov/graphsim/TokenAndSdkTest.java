package io.mfagov.graphsim;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.core.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.models.ConditionalAccessPolicy;
import com.microsoft.graph.models.ConditionalAccessPolicyState;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import static io.mfagov.graphsim.DemoTenants.MESSY;
import static io.mfagov.graphsim.DemoTenants.WELL_RUN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token authority over HTTPS with the real azure-identity client, and the real Graph SDK against the simulator. */
class TokenAndSdkTest {

    static GraphSimulator sim;
    static final ManualClock clock = new ManualClock();

    @BeforeAll
    static void start() {
        sim = GraphSimulator.start(Http.config().demoTenants().clock(clock).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static ClientSecretCredential credential(String tenant, String secret) {
        TenantCredentials c = sim.credentials(tenant);
        return new ClientSecretCredentialBuilder()
                .tenantId(c.tenantId())
                .clientId(c.clientId())
                .clientSecret(secret != null ? secret : c.simulatorClientSecret())
                .authorityHost(c.authorityHost())
                .disableInstanceDiscovery()
                .build();
    }

    static GraphServiceClient graph(ClientSecretCredential credential) {
        var auth = new AzureIdentityAuthenticationProvider(credential,
                new String[] {"graph.microsoft.com", "127.0.0.1", "localhost"}, "https://graph.microsoft.com/.default");
        BaseGraphRequestAdapter adapter = new BaseGraphRequestAdapter(auth);
        adapter.setBaseUrl(sim.graphBaseUrl());
        return new GraphServiceClient(adapter);
    }

    @Test
    void azureIdentityClientSecretCredentialObtainsATokenOverHttps() {
        sim.admin().counters().reset();
        AccessToken token = credential(WELL_RUN, null).getTokenSync(
                new TokenRequestContext().addScopes("https://graph.microsoft.com/.default"));
        assertThat(token.getToken()).isNotBlank();
        assertThat(token.getExpiresAt()).isAfter(java.time.OffsetDateTime.now().plusMinutes(30));
        assertThat(sim.counters().forTenant(WELL_RUN, "token")).isEqualTo(1);
        // the token works on Graph for its own tenant
        Http.Res r = Http.get(sim.graphBaseUrl() + "/organization", token.getToken());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/value/0/id").asText()).isEqualTo(WELL_RUN);
    }

    @Test
    void realGraphSdkListsPoliciesThroughTheSimulator() {
        sim.admin().resetLimitState();
        GraphServiceClient g = graph(credential(MESSY, null));
        List<ConditionalAccessPolicy> policies = g.identity().conditionalAccess().policies().get().getValue();
        assertThat(policies).hasSize(5);
        ConditionalAccessPolicy first = policies.get(0);
        assertThat(first.getState()).isEqualTo(ConditionalAccessPolicyState.EnabledForReportingButNotEnforced);
        assertThat(first.getConditions().getUsers().getExcludeGroups()).hasSize(1);
        assertThat(first.getConditions().getUsers().getExcludeUsers()).containsExactly("d2000000-0000-4000-8000-0000000dead1");
        ConditionalAccessPolicy guests = policies.get(3);
        assertThat(guests.getConditions().getUsers().getExcludeGuestsOrExternalUsers().getGuestOrExternalUserTypes())
                .isNotEmpty();
        assertThat(guests.getConditions().getLocations().getExcludeLocations()).hasSize(1);
        assertThat(sim.counters().forTenant(MESSY, "caPolicies")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void realGraphSdkPagesUsersWithPageIterator() throws Exception {
        GraphServiceClient g = graph(credential(WELL_RUN, null));
        var first = g.users().get(rc -> rc.queryParameters.top = 3);
        List<String> ids = new java.util.ArrayList<>();
        var it = new com.microsoft.graph.core.tasks.PageIterator.Builder<com.microsoft.graph.models.User,
                com.microsoft.graph.models.UserCollectionResponse>()
                .client(g).collectionPage(first)
                .collectionPageFactory(com.microsoft.graph.models.UserCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(u -> ids.add(u.getId()))
                .build();
        it.iterate();
        assertThat(ids).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void anMspAppConsentedInEveryTenantGetsATokenForEachTenantWithOneSecret() {
        String mspClientId = "5e1f0c2a-9b8d-4c7e-a6f5-0d4c3b2a1908";
        String mspSecret = "sim-secret-msp-" + java.util.UUID.randomUUID();
        try (GraphSimulator msp = GraphSimulator.start(Http.config().demoTenants().mspApp(mspClientId, mspSecret).build())) {
            for (String tenant : List.of(WELL_RUN, MESSY)) {
                ClientSecretCredential credential = new ClientSecretCredentialBuilder().tenantId(tenant).clientId(mspClientId)
                        .clientSecret(mspSecret).authorityHost(msp.authorityUrl()).disableInstanceDiscovery().build();
                AccessToken token = credential.getTokenSync(
                        new TokenRequestContext().addScopes("https://graph.microsoft.com/.default"));
                Http.Res org = Http.get(msp.graphBaseUrl() + "/organization", token.getToken());
                assertThat(org.status()).isEqualTo(200);
                assertThat(org.json().at("/value/0/id").asText()).isEqualTo(tenant);
            }
            ClientSecretCredential wrong = new ClientSecretCredentialBuilder().tenantId(WELL_RUN).clientId(mspClientId)
                    .clientSecret("not-the-msp-secret").authorityHost(msp.authorityUrl()).disableInstanceDiscovery().build();
            assertThatThrownBy(() -> wrong.getTokenSync(new TokenRequestContext().addScopes("https://graph.microsoft.com/.default")))
                    .hasMessageContaining("AADSTS7000215");
        }
        // without an MSP app, the same client id is unknown in the tenant
        Http.Res unknown = token(WELL_RUN, mspClientId, mspSecret);
        assertThat(unknown.json().get("error_codes").get(0).asInt()).isEqualTo(700016);
    }

    @Test
    void wrongSecretIsRefusedWithEntrasError() {
        ClientSecretCredential bad = credential(WELL_RUN, "not-the-secret");
        assertThatThrownBy(() -> bad.getTokenSync(new TokenRequestContext().addScopes("https://graph.microsoft.com/.default")))
                .hasMessageContaining("AADSTS7000215");
        Http.Res r = token(WELL_RUN, sim.credentials(WELL_RUN).clientId(), "nope");
        assertThat(r.status()).isEqualTo(401);
        JsonNode b = r.json();
        assertThat(b.get("error").asText()).isEqualTo("invalid_client");
        assertThat(b.get("error_codes").get(0).asInt()).isEqualTo(7000215);
        assertThat(b.get("error_description").asText()).startsWith("AADSTS7000215: Invalid client secret provided.");
    }

    @Test
    void unknownTenantAndUnknownClientAreRefusedWithEntrasErrors() {
        Http.Res unknownTenant = token("00000000-0000-4000-8000-00000000beef", "x", "y");
        assertThat(unknownTenant.status()).isEqualTo(400);
        assertThat(unknownTenant.json().get("error_codes").get(0).asInt()).isEqualTo(90002);
        Http.Res unknownClient = token(WELL_RUN, "00000000-0000-4000-8000-00000000c1e1", "y");
        assertThat(unknownClient.status()).isEqualTo(400);
        assertThat(unknownClient.json().get("error").asText()).isEqualTo("unauthorized_client");
        assertThat(unknownClient.json().get("error_codes").get(0).asInt()).isEqualTo(700016);
        // the tenant's domain works as the tenant segment too
        Http.Res byDomain = token("contosodental.onmicrosoft.com", sim.credentials(WELL_RUN).clientId(),
                sim.credentials(WELL_RUN).simulatorClientSecret());
        assertThat(byDomain.status()).isEqualTo(200);
        assertThat(byDomain.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(byDomain.json().get("expires_in").asInt()).isEqualTo(3599);
    }

    @Test
    void aTokenForOneTenantIsRefusedOnAnothersData() {
        String tokenA = token(WELL_RUN, sim.credentials(WELL_RUN).clientId(), sim.credentials(WELL_RUN).simulatorClientSecret())
                .json().get("access_token").asText();
        // explicit target tenant that differs from the token's tenant → 401
        Http.Res mismatch = Http.send(HttpRequest.newBuilder(URI.create(sim.graphBaseUrl() + "/identity/conditionalAccess/policies"))
                .header("X-Sim-Tenant", MESSY).GET(), tokenA);
        assertThat(mismatch.status()).isEqualTo(401);
        assertThat(mismatch.json().at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
        // another tenant's objects are invisible (as in Graph: the token decides the tenant)
        String messyUser = sim.tenant(MESSY).users().get(0).id();
        Http.Res other = Http.get(sim.graphBaseUrl() + "/users/" + messyUser, tokenA);
        assertThat(other.status()).isEqualTo(404);
        String messyGroup = sim.tenant(MESSY).groups().get(0).id();
        assertThat(Http.get(sim.graphBaseUrl() + "/groups/" + messyGroup + "/transitiveMembers", tokenA).status()).isEqualTo(404);
        assertThat(Http.post(sim.graphBaseUrl() + "/directoryObjects/getByIds", tokenA, "{\"ids\":[\"" + messyUser + "\"]}")
                .json().get("value")).isEmpty();
    }

    @Test
    void forgedAndExpiredTokensAreRefused() {
        String token = sim.admin().mintToken(WELL_RUN, Duration.ofMinutes(5));
        assertThat(Http.get(sim.graphBaseUrl() + "/organization", token).status()).isEqualTo(200);
        String forged = token.substring(0, token.length() - 4) + "AAAA";
        assertThat(Http.get(sim.graphBaseUrl() + "/organization", forged).status()).isEqualTo(401);
        clock.advance(Duration.ofMinutes(6));
        Http.Res expired = Http.get(sim.graphBaseUrl() + "/organization", token);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().at("/error/message").asText()).contains("expired");
    }

    @Test
    void adminApiMintsTokensAndStaticTokensNameTheirTenant() {
        Http.Res minted = Http.post(sim.adminUrl() + "/tenants/" + MESSY + "/token", null, "");
        assertThat(minted.status()).isEqualTo(200);
        String t = minted.json().get("access_token").asText();
        assertThat(Http.get(sim.graphBaseUrl() + "/organization", t).json().at("/value/0/id").asText()).isEqualTo(MESSY);
        assertThat(Http.get(sim.graphBaseUrl() + "/organization", "sim-static:" + MESSY).json().at("/value/0/id").asText())
                .isEqualTo(MESSY);
        assertThat(Http.get(sim.graphBaseUrl() + "/organization", "sim-static:unknown-tenant").status()).isEqualTo(401);
    }

    @Test
    void graphIsAlsoServedOverHttps() {
        Http.Res r = Http.get(sim.graphHttpsBaseUrl() + "/organization", sim.staticToken(WELL_RUN));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/value/0/displayName").asText()).isEqualTo("Contoso Dental");
    }

    static Http.Res token(String tenant, String clientId, String secret) {
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret
                + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default";
        return Http.send(HttpRequest.newBuilder(URI.create(sim.authorityUrl() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), null);
    }
}
