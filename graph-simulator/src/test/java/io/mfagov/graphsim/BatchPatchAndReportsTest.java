package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.ConditionalAccessConditionSet;
import com.microsoft.graph.models.ConditionalAccessPolicy;
import com.microsoft.graph.models.ConditionalAccessPolicyState;
import com.microsoft.graph.models.ConditionalAccessUsers;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mfagov.graphsim.model.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.mfagov.graphsim.DemoTenants.MESSY;
import static io.mfagov.graphsim.DemoTenants.WELL_RUN;
import static io.mfagov.graphsim.Http.get;
import static io.mfagov.graphsim.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/** $batch, PATCH of CA policies, reports and sign-ins. */
class BatchPatchAndReportsTest {

    static GraphSimulator sim;

    @BeforeAll
    static void start() {
        sim = GraphSimulator.start(Http.config().demoTenants().noLimits().build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static GraphServiceClient graph(String tenant) {
        return SdkClients.graph(sim, tenant);
    }

    @Test
    void batchAnswersEachRequestWithItsOwnStatus() {
        String user = sim.tenant(WELL_RUN).users().get(3).id();
        String body = """
                {"requests":[
                  {"id":"1","method":"GET","url":"/users/%s?$select=id,displayName"},
                  {"id":"2","method":"GET","url":"users/00000000-0000-4000-8000-000000000000"},
                  {"id":"3","method":"GET","url":"/identity/conditionalAccess/policies"},
                  {"id":"4","method":"DELETE","url":"/users/%s"},
                  {"id":"5","method":"GET","url":"/organization","dependsOn":["2"]},
                  {"id":"6","method":"POST","url":"/directoryObjects/getByIds","headers":{"Content-Type":"application/json"},"body":{"ids":["%s"]}}
                ]}""".formatted(user, user, user);
        Http.Res r = post(sim, WELL_RUN, "/$batch", body);
        assertThat(r.status()).isEqualTo(200);
        JsonNode responses = r.json().get("responses");
        assertThat(responses).extracting(n -> n.get("id").asText() + ":" + n.get("status").asInt())
                .containsExactly("1:200", "2:404", "3:200", "4:405", "5:424", "6:200");
        JsonNode ex = Http.example("batch-response.json");
        assertThat(Shapes.keys(responses.get(0))).isEqualTo(Shapes.keys(ex.at("/responses/0")));
        assertThat(Shapes.supersetDifferences(ex.at("/responses/2"), responses.get(1))).isEmpty();
        assertThat(Shapes.exactDifferences(ex.at("/responses/2/body"), responses.get(1).get("body"))).isEmpty();
        assertThat(responses.at("/0/body/displayName").asText()).isEqualTo("Alex Wilber");
        assertThat(responses.at("/2/body/value")).hasSize(5);
        assertThat(responses.at("/5/body/value")).hasSize(1);
    }

    @Test
    void batchOfMoreThanTwentyOrDuplicateIdsIs400() {
        StringBuilder b = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 21; i++) {
            b.append(i == 1 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/organization\"}");
        }
        b.append("]}");
        assertThat(post(sim, WELL_RUN, "/$batch", b.toString()).status()).isEqualTo(400);
        String twenty = b.toString().replace(",{\"id\":\"21\",\"method\":\"GET\",\"url\":\"/organization\"}", "");
        assertThat(post(sim, WELL_RUN, "/$batch", twenty).status()).isEqualTo(200);
        assertThat(post(sim, WELL_RUN, "/$batch", "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/organization\"},"
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/organization\"}]}").status()).isEqualTo(400);
        assertThat(post(sim, WELL_RUN, "/$batch", "{oops").status()).isEqualTo(400);
    }

    @Test
    void realGraphSdkBatchesAuthenticationMethods() throws Exception {
        GraphServiceClient g = graph(WELL_RUN);
        BatchRequestContent batch = new BatchRequestContent(g);
        List<User> users = sim.tenant(WELL_RUN).users();
        Map<String, String> stepToUser = new java.util.HashMap<>();
        for (User u : users.subList(0, 5)) {
            stepToUser.put(batch.addBatchRequestStep(g.users().byUserId(u.id()).authentication().methods().toGetRequestInformation()), u.id());
        }
        BatchResponseContent resp = g.getBatchRequestBuilder().post(batch, null);
        assertThat(resp.getResponsesStatusCode()).hasSize(5).allSatisfy((id, status) -> assertThat(status).isEqualTo(200));
        for (String step : stepToUser.keySet()) {
            var methods = resp.getResponseById(step,
                    com.microsoft.graph.models.AuthenticationMethodCollectionResponse::createFromDiscriminatorValue);
            assertThat(methods.getValue()).isNotEmpty();
        }
        assertThat(sim.counters().forTenant(WELL_RUN, "authMethods")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void patchChangesThePolicyInTheTenantsState() {
        JsonNode policies = get(sim, MESSY, "/identity/conditionalAccess/policies").json().get("value");
        String id = policies.get(1).get("id").asText(); // CA02 - Admins MFA, excludes migration admin + deleted user
        String before = policies.get(1).get("modifiedDateTime").asText();
        Http.Res patch = Http.method("PATCH", sim.graphBaseUrl() + "/identity/conditionalAccess/policies/" + id,
                sim.staticToken(MESSY), "{\"conditions\":{\"users\":{\"excludeUsers\":[]}}}");
        assertThat(patch.status()).isEqualTo(204);
        JsonNode after = get(sim, MESSY, "/identity/conditionalAccess/policies/" + id).json();
        assertThat(after.at("/conditions/users/excludeUsers")).isEmpty();
        assertThat(after.at("/conditions/users/includeRoles")).hasSize(15); // deep merge keeps the rest
        assertThat(after.get("modifiedDateTime").asText()).isNotEqualTo(before);
        assertThat(sim.tenant(MESSY).policy(id).at("/conditions/users/excludeUsers")).isEmpty();
        // invalid patches
        String url = sim.graphBaseUrl() + "/identity/conditionalAccess/policies/" + id;
        assertThat(Http.method("PATCH", url, sim.staticToken(MESSY), "{\"state\":\"sometimes\"}").status()).isEqualTo(400);
        assertThat(Http.method("PATCH", url, sim.staticToken(MESSY), "{\"colour\":\"blue\"}").status()).isEqualTo(400);
        assertThat(Http.method("PATCH", url, sim.staticToken(MESSY), "not json").status()).isEqualTo(400);
        assertThat(Http.method("PATCH", url.replace(id, "00000000-0000-4000-8000-000000000000"), sim.staticToken(MESSY),
                "{\"state\":\"disabled\"}").status()).isEqualTo(404);
    }

    @Test
    void realGraphSdkPatchesAPolicy() {
        GraphServiceClient g = graph(WELL_RUN);
        String id = sim.tenant(WELL_RUN).policies().get(2).get("id").asText();
        ConditionalAccessPolicy p = new ConditionalAccessPolicy();
        p.setState(ConditionalAccessPolicyState.EnabledForReportingButNotEnforced);
        ConditionalAccessConditionSet c = new ConditionalAccessConditionSet();
        ConditionalAccessUsers u = new ConditionalAccessUsers();
        u.setExcludeUsers(List.of(sim.tenant(WELL_RUN).users().get(0).id()));
        c.setUsers(u);
        p.setConditions(c);
        g.identity().conditionalAccess().policies().byConditionalAccessPolicyId(id).patch(p);
        ConditionalAccessPolicy read = g.identity().conditionalAccess().policies().byConditionalAccessPolicyId(id).get();
        assertThat(read.getState()).isEqualTo(ConditionalAccessPolicyState.EnabledForReportingButNotEnforced);
        assertThat(read.getConditions().getUsers().getExcludeUsers()).containsExactly(sim.tenant(WELL_RUN).users().get(0).id());
        assertThat(read.getConditions().getUsers().getIncludeUsers()).containsExactly("All");
    }

    @Test
    void signInsFilterByDateAndBetaHasAuthenticationRequirement() {
        JsonNode recent = get(sim, WELL_RUN, "/auditLogs/signIns?$filter=createdDateTime%20ge%20"
                + java.time.Instant.now().minus(java.time.Duration.ofHours(9)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).json();
        assertThat(recent.get("value")).hasSize(2);
        JsonNode newestFirst = get(sim, WELL_RUN, "/auditLogs/signIns").json().get("value");
        assertThat(newestFirst.get(0).get("createdDateTime").asText()).isGreaterThan(newestFirst.get(1).get("createdDateTime").asText());
        JsonNode single = Http.get(sim.betaBaseUrl() + "/auditLogs/signIns?$filter=authenticationRequirement%20eq%20'singleFactorAuthentication'",
                sim.staticToken(WELL_RUN)).json().get("value");
        assertThat(single).hasSize(1);
        assertThat(single.get(0).get("userPrincipalName").asText()).startsWith("joni.sherman");
        JsonNode nonInteractive = Http.get(sim.betaBaseUrl() + "/auditLogs/signIns?$filter=signInEventTypes/any(t:t%20eq%20'nonInteractiveUser')",
                sim.staticToken(MESSY)).json().get("value");
        assertThat(nonInteractive).hasSize(1);
        assertThat(sim.counters().forTenant(WELL_RUN, "signIns.beta")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void registrationDetailsOfASingleUser() {
        User joni = sim.tenant(WELL_RUN).users().get(8);
        JsonNode r = get(sim, WELL_RUN, "/reports/authenticationMethods/userRegistrationDetails/" + joni.id()).json();
        assertThat(r.get("isMfaRegistered").asBoolean()).isFalse();
        assertThat(r.get("methodsRegistered")).isEmpty();
        JsonNode adele = get(sim, WELL_RUN, "/reports/authenticationMethods/userRegistrationDetails/"
                + sim.tenant(WELL_RUN).users().get(2).id()).json();
        assertThat(adele.get("isAdmin").asBoolean()).isTrue();
        assertThat(adele.get("isPasswordlessCapable").asBoolean()).isTrue();
    }
}
