package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.graph.models.ConditionalAccessConditionSet;
import com.microsoft.graph.models.ConditionalAccessPolicy;
import com.microsoft.graph.models.ConditionalAccessUsers;
import com.microsoft.graph.models.ReferenceCreate;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mfagov.graphsim.model.Change;
import io.mfagov.graphsim.model.TenantFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Graph writes the lifecycle needs: PATCH of CA policies with Graph's validation, group membership add/remove, the
 * permissions in the token's roles claim, the change log and simulated concurrent edits. Real HTTP, the real Graph SDK
 * (tokens from the simulator's token endpoint) where it has the call.
 */
class WritesAndChangeLogTest {

    static final String WRITES = "7e000000-0000-4000-8000-000000000001";
    static final String READ_ONLY = "7e000000-0000-4000-8000-000000000002";  // read permissions only
    static final String NO_ROLE_MGMT = "7e000000-0000-4000-8000-000000000003"; // GroupMember.ReadWrite.All, no RoleManagement.ReadWrite.Directory
    static final String GRANTS = "7e000000-0000-4000-8000-000000000004";     // grants changed at run time

    static final String U1 = "7e100000-0000-4000-8000-000000000001";
    static final String U2 = "7e100000-0000-4000-8000-000000000002";
    static final String U3 = "7e100000-0000-4000-8000-000000000003";
    static final String U4 = "7e100000-0000-4000-8000-000000000004";
    static final String BREAK_GLASS = "7e100000-0000-4000-8000-000000000009";

    static final String ASSIGNED = "7e200000-0000-4000-8000-000000000001";  // cloud-only assigned security group: U1, U2
    static final String DYNAMIC = "7e200000-0000-4000-8000-000000000002";
    static final String SYNCED = "7e200000-0000-4000-8000-000000000003";
    static final String ROLE_GROUP = "7e200000-0000-4000-8000-000000000004"; // role-assignable: U1
    static final String MAIL_SECURITY = "7e200000-0000-4000-8000-000000000005";
    static final String OUTER = "7e200000-0000-4000-8000-000000000006";     // nests ASSIGNED
    static final String ADD_TARGET = "7e200000-0000-4000-8000-000000000007"; // U1

    static final String P_MERGE = "7e300000-0000-4000-8000-000000000001";
    static final String P_INVALID = "7e300000-0000-4000-8000-000000000002";
    static final String P_TIME = "7e300000-0000-4000-8000-000000000003";
    static final String P_LOG = "7e300000-0000-4000-8000-000000000004";
    static final String P_NOW = "7e300000-0000-4000-8000-000000000005";
    static final String P_AFTER = "7e300000-0000-4000-8000-000000000006";
    static final String P_SDK = "7e300000-0000-4000-8000-000000000007";
    static final String P_BATCH = "7e300000-0000-4000-8000-000000000008";

    static final String ROLE_GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";

    static final ManualClock clock = new ManualClock();
    static GraphSimulator sim;

    @BeforeAll
    static void start() {
        sim = GraphSimulator.start(Http.config().noLimits().clock(clock)
                .tenant(tenant(WRITES, null))
                .tenant(tenant(READ_ONLY, List.of("Policy.Read.All", "Directory.Read.All", "GroupMember.Read.All",
                        "RoleManagement.Read.Directory", "AuditLog.Read.All")))
                .tenant(tenant(NO_ROLE_MGMT, List.of("Policy.Read.All", "Directory.Read.All", "GroupMember.ReadWrite.All")))
                .tenant(tenant(GRANTS, null))
                .build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static TenantFixture tenant(String tenantId, List<String> granted) {
        TenantFixture f = WholePolicyTenants.base(tenantId, "Writes " + tenantId.substring(tenantId.length() - 1));
        f.users.clear();
        f.groups.clear();
        f.roleAssignments.clear();
        f.roleEligibilities.clear();
        f.groupEligibilities.clear();
        f.conditionalAccessPolicies.clear();
        f.grantedPermissions = granted;
        String d = "@" + f.domain;
        for (String u : List.of(U1, U2, U3, U4, BREAK_GLASS)) {
            f.users.add(WholePolicyTenants.user(u, "u" + u.substring(u.length() - 1) + d, true));
        }
        f.groups.add(group(ASSIGNED, "Legacy VPN", g -> g.members.addAll(List.of(U1, U2))));
        f.groups.add(group(DYNAMIC, "All Drivers", g -> {
            g.groupTypes.add("DynamicMembership");
            g.membershipRule = "user.department -eq \"Drivers\"";
            g.members.add(U3);
        }));
        f.groups.add(group(SYNCED, "HQ (from AD)", g -> {
            g.onPremisesSyncEnabled = true;
            g.members.add(U3);
        }));
        f.groups.add(group(ROLE_GROUP, "Tier 0", g -> {
            g.isAssignableToRole = true;
            g.members.add(U1);
        }));
        f.groups.add(group(MAIL_SECURITY, "Finance (mail)", g -> {
            g.mailEnabled = true;
            g.members.add(U3);
        }));
        f.groups.add(group(OUTER, "Outer", g -> g.members.add(ASSIGNED)));
        f.groups.add(group(ADD_TARGET, "Add target", g -> g.members.add(U1)));
        for (String p : List.of(P_MERGE, P_INVALID, P_TIME, P_LOG, P_NOW, P_AFTER, P_SDK, P_BATCH)) {
            f.conditionalAccessPolicies.add(WholePolicyTenants.json("""
                    {"id":"%s","displayName":"Require MFA %s","state":"enabled",
                     "createdDateTime":"2024-01-01T00:00:00Z","modifiedDateTime":"2024-02-01T00:00:00Z",
                     "conditions":{"clientAppTypes":["all"],"applications":{"includeApplications":["All"]},
                       "users":{"includeUsers":["All"],"excludeUsers":["%s","%s","%s"],"excludeGroups":["%s"],
                                "includeRoles":[],"excludeRoles":["%s"]}},
                     "grantControls":{"operator":"OR","builtInControls":["mfa"]}}
                    """.formatted(p, p.substring(p.length() - 1), U1, U2, BREAK_GLASS, ASSIGNED, ROLE_GLOBAL_ADMIN)));
        }
        return f;
    }

    static TenantFixture.GroupFixture group(String id, String name, java.util.function.Consumer<TenantFixture.GroupFixture> c) {
        TenantFixture.GroupFixture g = new TenantFixture.GroupFixture();
        g.id = id;
        g.displayName = name;
        c.accept(g);
        return g;
    }

    static String policyUrl(String id) {
        return sim.graphBaseUrl() + "/identity/conditionalAccess/policies/" + id;
    }

    static Http.Res patch(String tenant, String policy, String body) {
        return Http.method("PATCH", policyUrl(policy), sim.staticToken(tenant), body);
    }

    static JsonNode read(String tenant, String policy) {
        return Http.get(sim, tenant, "/identity/conditionalAccess/policies/" + policy).json();
    }

    static ObjectNode json(String s) {
        return WholePolicyTenants.json(s);
    }

    static Set<String> rolesOf(String jwt) throws Exception {
        JsonNode p = Http.M.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        Set<String> roles = new java.util.TreeSet<>();
        p.path("roles").forEach(r -> roles.add(r.asText()));
        return roles;
    }

    // ---- PATCH of CA policies --------------------------------------------------------------------------------

    @Test
    void patchMergesObjectsDeeplyAndReplacesListsWhole() {
        Http.Res r = patch(WRITES, P_MERGE, """
                {"conditions":{"users":{"excludeUsers":["%s"]}}}""".formatted(BREAK_GLASS));
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        JsonNode after = read(WRITES, P_MERGE);
        assertThat(after.at("/conditions/users/excludeUsers")).extracting(JsonNode::asText).containsExactly(BREAK_GLASS);
        // siblings in the same object and other branches are kept
        assertThat(after.at("/conditions/users/excludeGroups")).extracting(JsonNode::asText).containsExactly(ASSIGNED);
        assertThat(after.at("/conditions/users/includeUsers")).extracting(JsonNode::asText).containsExactly("All");
        assertThat(after.at("/conditions/applications/includeApplications")).extracting(JsonNode::asText).containsExactly("All");
        assertThat(after.at("/grantControls/builtInControls")).extracting(JsonNode::asText).containsExactly("mfa");
        assertThat(after.path("displayName").asText()).isEqualTo("Require MFA 1");
        assertThat(after.path("createdDateTime").asText()).isEqualTo("2024-01-01T00:00:00Z");
    }

    @Test
    void patchRefusesReadOnlyUnknownAndInvalidValuesAndChangesNothing() {
        JsonNode before = read(WRITES, P_INVALID);
        String wholePolicyAsRead = before.toString();
        record Case(String body, String mentions) {
        }
        List<Case> cases = List.of(
                new Case(wholePolicyAsRead, "read-only"),
                new Case("{\"id\":\"" + P_INVALID + "\",\"state\":\"disabled\"}", "'id'"),
                new Case("{\"modifiedDateTime\":\"2026-01-01T00:00:00Z\"}", "'modifiedDateTime'"),
                new Case("{\"createdDateTime\":\"2026-01-01T00:00:00Z\"}", "'createdDateTime'"),
                new Case("{\"templateId\":null}", "'templateId'"),
                new Case("{\"colour\":\"blue\"}", "'colour'"),
                new Case("{\"conditions\":{\"users\":{\"excludeUserz\":[]}}}", "conditions.users.excludeUserz"),
                new Case("{\"conditions\":{\"users\":{\"excludeUsers\":[\"not-a-guid\"]}}}", "excludeUsers"),
                new Case("{\"conditions\":{\"users\":{\"excludeGroups\":[\"All\"]}}}", "excludeGroups"),
                new Case("{\"conditions\":{\"users\":{\"excludeUsers\":\"" + U1 + "\"}}}", "excludeUsers"),
                new Case("{\"conditions\":{\"users\":{\"includeUsers\":[]}}}", "include"),
                new Case("{\"conditions\":{\"users\":{\"includeUsers\":[],\"includeGroups\":[],\"includeRoles\":[]}}}", "include"),
                new Case("{\"state\":\"sometimes\"}", "state"));
        for (Case c : cases) {
            Http.Res r = patch(WRITES, P_INVALID, c.body());
            assertThat(r.status()).as(c.body()).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).as(c.body()).isEqualTo("BadRequest");
            assertThat(r.json().at("/error/message").asText()).as(c.body()).contains(c.mentions());
        }
        JsonNode after = read(WRITES, P_INVALID);
        assertThat(after.get("modifiedDateTime")).isEqualTo(before.get("modifiedDateTime"));
        assertThat(after.get("conditions")).isEqualTo(before.get("conditions"));
        assertThat(sim.admin().changes(WRITES)).noneMatch(c -> c.targetId().equals(P_INVALID));
        // the literals Graph allows, and an include kept through another list, are accepted
        assertThat(patch(WRITES, P_INVALID, """
                {"conditions":{"users":{"includeUsers":[],"includeGroups":["%s"],"excludeUsers":["GuestsOrExternalUsers","%s"]}}}"""
                .formatted(ASSIGNED, U1)).status()).isEqualTo(204);
        assertThat(patch(WRITES, P_INVALID, "{\"conditions\":{\"users\":{\"includeUsers\":[\"None\"]}}}").status()).isEqualTo(204);
    }

    @Test
    void everyWriteAdvancesModifiedDateTimeEvenInTheSameInstant() {
        String original = read(WRITES, P_TIME).path("modifiedDateTime").asText();
        List<Instant> stamps = new ArrayList<>();
        stamps.add(OffsetDateTime.parse(original).toInstant());
        for (int i = 0; i < 3; i++) { // the manual clock does not move between them
            assertThat(patch(WRITES, P_TIME, "{\"state\":\"" + (i % 2 == 0 ? "disabled" : "enabled") + "\"}").status()).isEqualTo(204);
            stamps.add(OffsetDateTime.parse(read(WRITES, P_TIME).path("modifiedDateTime").asText()).toInstant());
        }
        assertThat(stamps).doesNotHaveDuplicates().isSorted();
        assertThat(stamps.get(1)).isAfterOrEqualTo(clock.now().minusSeconds(1));
        sim.admin().advanceClock(java.time.Duration.ofMinutes(5));
        patch(WRITES, P_TIME, "{\"state\":\"enabled\"}");
        assertThat(OffsetDateTime.parse(read(WRITES, P_TIME).path("modifiedDateTime").asText()).toInstant()).isEqualTo(clock.now());
    }

    @Test
    void patchWithTheRealSdkAndItsTokenSucceedsAndIsLoggedWithTheAppId() {
        GraphServiceClient g = SdkClients.graph(sim, WRITES);
        ConditionalAccessUsers users = new ConditionalAccessUsers();
        users.setIncludeUsers(List.of("All"));
        users.setExcludeUsers(List.of(U2, BREAK_GLASS));
        users.setExcludeGroups(List.of(ASSIGNED));
        users.setExcludeRoles(List.of(ROLE_GLOBAL_ADMIN));
        ConditionalAccessConditionSet conditions = new ConditionalAccessConditionSet();
        conditions.setUsers(users);
        ConditionalAccessPolicy body = new ConditionalAccessPolicy();
        body.setConditions(conditions);
        g.identity().conditionalAccess().policies().byConditionalAccessPolicyId(P_SDK).patch(body);
        ConditionalAccessPolicy read = g.identity().conditionalAccess().policies().byConditionalAccessPolicyId(P_SDK).get();
        assertThat(read.getConditions().getUsers().getExcludeUsers()).containsExactly(U2, BREAK_GLASS);
        assertThat(sim.admin().changes(WRITES)).filteredOn(c -> c.targetId().equals(P_SDK)).singleElement()
                .satisfies(c -> assertThat(c.actor()).isEqualTo(sim.credentials(WRITES).clientId()));
    }

    @Test
    void patchInsideBatchCountsAsACaRequestAndApplies() {
        long before = sim.counters().forTenant(WRITES, "caPolicyPatch");
        Http.Res r = Http.post(sim, WRITES, "/$batch", """
                {"requests":[{"id":"1","method":"PATCH","url":"/identity/conditionalAccess/policies/%s",
                  "headers":{"Content-Type":"application/json"},"body":{"conditions":{"users":{"excludeUsers":[]}}}},
                 {"id":"2","method":"PATCH","url":"/identity/conditionalAccess/policies/%s",
                  "headers":{"Content-Type":"application/json"},"body":{"id":"%s"}}]}""".formatted(P_BATCH, P_BATCH, P_BATCH));
        assertThat(r.json().get("responses")).extracting(n -> n.get("id").asText() + ":" + n.get("status").asInt())
                .containsExactlyInAnyOrder("1:204", "2:400");
        assertThat(read(WRITES, P_BATCH).at("/conditions/users/excludeUsers")).isEmpty();
        assertThat(sim.counters().forTenant(WRITES, "caPolicyPatch")).isEqualTo(before + 2);
    }

    // ---- permissions -------------------------------------------------------------------------------------------

    @Test
    void patchWithoutTheWritePermissionIs403AccessDeniedThroughTheSdk() throws Exception {
        assertThat(rolesOf(sim.admin().mintToken(READ_ONLY))).contains("Policy.Read.All")
                .doesNotContain("Policy.ReadWrite.ConditionalAccess");
        GraphServiceClient g = SdkClients.graph(sim, READ_ONLY);
        ConditionalAccessPolicy body = new ConditionalAccessPolicy();
        body.setState(com.microsoft.graph.models.ConditionalAccessPolicyState.Disabled);
        assertThatThrownBy(() -> g.identity().conditionalAccess().policies().byConditionalAccessPolicyId(P_MERGE).patch(body))
                .isInstanceOfSatisfying(ODataError.class, e -> {
                    assertThat(e.getResponseStatusCode()).isEqualTo(403);
                    assertThat(e.getError().getCode()).isEqualTo("AccessDenied");
                });
        // reads are unaffected, and nothing changed
        assertThat(g.identity().conditionalAccess().policies().byConditionalAccessPolicyId(P_MERGE).get().getState())
                .isEqualTo(com.microsoft.graph.models.ConditionalAccessPolicyState.Enabled);
        assertThat(sim.admin().changes(READ_ONLY)).isEmpty();
    }

    @Test
    void tokenRolesListExactlyTheGrantedPermissionsAndWritesFollowThem() throws Exception {
        assertThat(rolesOf(sim.admin().mintToken(GRANTS))).containsExactlyInAnyOrderElementsOf(TenantFixture.DEFAULT_GRANTED_PERMISSIONS);
        String oldToken = sim.admin().mintToken(GRANTS);
        sim.admin().setGrantedPermissions(GRANTS, Set.of("Policy.Read.All", "Directory.Read.All"));
        String newToken = sim.admin().mintToken(GRANTS);
        assertThat(rolesOf(newToken)).containsExactlyInAnyOrder("Policy.Read.All", "Directory.Read.All");
        String body = "{\"state\":\"disabled\"}";
        assertThat(Http.method("PATCH", policyUrl(P_MERGE), newToken, body).status()).isEqualTo(403);
        assertThat(Http.method("PATCH", policyUrl(P_MERGE), sim.staticToken(GRANTS), body).status()).isEqualTo(403);
        assertThat(Http.get(policyUrl(P_MERGE), newToken).status()).isEqualTo(200);
        // a token issued before keeps its roles, as Entra's do until they expire
        assertThat(Http.method("PATCH", policyUrl(P_MERGE), oldToken, body).status()).isEqualTo(204);
        // over HTTP too
        Http.Res admin = Http.method("PUT", sim.adminUrl() + "/tenants/" + GRANTS + "/permissions", null,
                "[\"Policy.Read.All\",\"Policy.ReadWrite.ConditionalAccess\"]");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(rolesOf(sim.admin().mintToken(GRANTS))).containsExactlyInAnyOrder("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess");
    }

    // ---- change log and concurrent edits ------------------------------------------------------------------------

    @Test
    void changeLogRecordsTheWholePolicyBeforeAndAfterAndWho() {
        JsonNode before = read(WRITES, P_LOG);
        assertThat(patch(WRITES, P_LOG, "{\"conditions\":{\"users\":{\"excludeUsers\":[\"" + BREAK_GLASS + "\"]}}}").status())
                .isEqualTo(204);
        Change c = sim.admin().changes(WRITES).stream().filter(x -> x.targetId().equals(P_LOG)).findFirst().orElseThrow();
        assertThat(c.kind()).isEqualTo(Change.POLICY_UPDATE);
        assertThat(c.tenantId()).isEqualTo(WRITES);
        assertThat(c.time()).isEqualTo(clock.now());
        assertThat(c.actor()).isEqualTo(sim.credentials(WRITES).clientId());
        assertThat(c.before().get("conditions")).isEqualTo(before.get("conditions"));
        assertThat(c.before().get("modifiedDateTime")).isEqualTo(before.get("modifiedDateTime"));
        assertThat(c.after().at("/conditions/users/excludeUsers")).extracting(JsonNode::asText).containsExactly(BREAK_GLASS);
        assertThat(c.after().get("displayName")).isEqualTo(before.get("displayName"));
        Http.Res http = Http.get(sim.adminUrl() + "/tenants/" + WRITES + "/changes", null);
        assertThat(http.status()).isEqualTo(200);
        assertThat(http.json()).anySatisfy(n -> {
            assertThat(n.path("targetId").asText()).isEqualTo(P_LOG);
            assertThat(n.path("kind").asText()).isEqualTo("policyUpdate");
            assertThat(n.at("/after/conditions/users/excludeUsers/0").asText()).isEqualTo(BREAK_GLASS);
        });
    }

    @Test
    void concurrentEditNowIsVisibleBumpsModifiedDateTimeAndIsLogged() {
        String modified = read(WRITES, P_NOW).path("modifiedDateTime").asText();
        sim.admin().editPolicyNow(WRITES, P_NOW, json("{\"conditions\":{\"users\":{\"excludeUsers\":[\"" + U4 + "\"]}}}"));
        JsonNode after = read(WRITES, P_NOW);
        assertThat(after.at("/conditions/users/excludeUsers")).extracting(JsonNode::asText).containsExactly(U4);
        assertThat(after.path("modifiedDateTime").asText()).isNotEqualTo(modified);
        assertThat(sim.admin().changes(WRITES)).filteredOn(c -> c.targetId().equals(P_NOW)).singleElement()
                .satisfies(c -> assertThat(c.actor()).isEqualTo(Change.CONCURRENT_ADMIN));
        assertThatThrownBy(() -> sim.admin().editPolicyNow(WRITES, P_NOW, json("{\"id\":\"x\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        // the same over the admin HTTP API
        String adminEdit = sim.adminUrl() + "/tenants/" + WRITES + "/concurrentEdit/" + P_NOW;
        assertThat(Http.post(adminEdit, null, "{\"state\":\"disabled\"}").status()).isEqualTo(200);
        assertThat(read(WRITES, P_NOW).path("state").asText()).isEqualTo("disabled");
        assertThat(Http.post(adminEdit, null, "{\"id\":\"x\"}").status()).isEqualTo(400);
        assertThat(sim.admin().changes(WRITES)).filteredOn(c -> c.targetId().equals(P_NOW)).hasSize(2)
                .allSatisfy(c -> assertThat(c.actor()).isEqualTo(Change.CONCURRENT_ADMIN));
    }

    @Test
    void concurrentEditAfterNextWriteLandsBeforeTheWritersReRead() {
        sim.admin().editPolicyAfterNextWrite(WRITES, P_AFTER, json("{\"state\":\"enabledForReportingButNotEnforced\"}"));
        assertThat(read(WRITES, P_AFTER).path("state").asText()).isEqualTo("enabled"); // not yet
        String body = "{\"conditions\":{\"users\":{\"includeUsers\":[\"All\"],\"excludeUsers\":[\"" + BREAK_GLASS + "\"],"
                + "\"excludeGroups\":[\"" + ASSIGNED + "\"],\"excludeRoles\":[\"" + ROLE_GLOBAL_ADMIN + "\"]}}}";
        assertThat(patch(WRITES, P_AFTER, body).status()).isEqualTo(204);
        JsonNode reRead = read(WRITES, P_AFTER);
        assertThat(reRead.at("/conditions/users/excludeUsers")).extracting(JsonNode::asText).containsExactly(BREAK_GLASS);
        assertThat(reRead.path("state").asText()).isEqualTo("enabledForReportingButNotEnforced");
        List<Change> log = sim.admin().changes(WRITES).stream().filter(c -> c.targetId().equals(P_AFTER)).toList();
        assertThat(log).extracting(Change::actor).containsExactly(sim.credentials(WRITES).clientId(), Change.CONCURRENT_ADMIN);
        assertThat(log.get(1).after().get("modifiedDateTime").asText()).isEqualTo(reRead.path("modifiedDateTime").asText())
                .isNotEqualTo(log.get(0).after().get("modifiedDateTime").asText());
        // only once: the next write is not followed by it again
        assertThat(patch(WRITES, P_AFTER, "{\"state\":\"enabled\"}").status()).isEqualTo(204);
        assertThat(read(WRITES, P_AFTER).path("state").asText()).isEqualTo("enabled");
    }

    // ---- groups and memberships ---------------------------------------------------------------------------------

    @Test
    void groupAnswersItsKindProperties() {
        JsonNode assigned = Http.get(sim, WRITES, "/groups/" + ASSIGNED).json();
        assertThat(assigned.path("onPremisesSyncEnabled").isNull()).isTrue();
        assertThat(assigned.path("groupTypes")).isEmpty();
        assertThat(assigned.path("securityEnabled").asBoolean()).isTrue();
        assertThat(assigned.path("mailEnabled").asBoolean()).isFalse();
        assertThat(assigned.path("isAssignableToRole").asBoolean()).isFalse();
        assertThat(assigned.path("membershipRule").isNull()).isTrue();
        JsonNode dynamic = Http.get(sim, WRITES, "/groups/" + DYNAMIC).json();
        assertThat(dynamic.path("groupTypes")).extracting(JsonNode::asText).containsExactly("DynamicMembership");
        assertThat(dynamic.path("membershipRule").asText()).isEqualTo("user.department -eq \"Drivers\"");
        assertThat(dynamic.path("membershipRuleProcessingState").asText()).isEqualTo("On");
        assertThat(Http.get(sim, WRITES, "/groups/" + SYNCED).json().path("onPremisesSyncEnabled").asBoolean()).isTrue();
        assertThat(Http.get(sim, WRITES, "/groups/" + ROLE_GROUP).json().path("isAssignableToRole").asBoolean()).isTrue();
        GraphServiceClient g = SdkClients.graph(sim, WRITES);
        assertThat(g.groups().byGroupId(SYNCED).get().getOnPremisesSyncEnabled()).isTrue();
    }

    @Test
    void memberGetAnswersOnlyDirectMembers() {
        Http.Res direct = Http.get(sim, WRITES, "/groups/" + ADD_TARGET + "/members/" + U1);
        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.json().path("id").asText()).isEqualTo(U1);
        assertThat(direct.json().path("@odata.type").asText()).isEqualTo("#microsoft.graph.user");
        // U1 is in OUTER only through ASSIGNED: not a direct member
        Http.Res nested = Http.get(sim, WRITES, "/groups/" + OUTER + "/members/" + U1);
        assertThat(nested.status()).isEqualTo(404);
        assertThat(nested.json().at("/error/code").asText()).isEqualTo("Request_ResourceNotFound");
        assertThat(Http.get(sim, WRITES, "/groups/" + ADD_TARGET + "/members/" + U4).status()).isEqualTo(404);
    }

    @Test
    void removingADirectMemberWithTheSdkChangesTransitiveMembersAndIsLogged() {
        GraphServiceClient g = SdkClients.graph(sim, WRITES);
        assertThat(transitiveIds(OUTER)).contains(U2);
        g.groups().byGroupId(ASSIGNED).members().byDirectoryObjectId(U2).ref().delete();
        assertThat(Http.get(sim, WRITES, "/groups/" + ASSIGNED + "/members/" + U2).status()).isEqualTo(404);
        assertThat(transitiveIds(OUTER)).doesNotContain(U2).contains(U1);
        assertThat(transitiveIds(ASSIGNED)).containsExactly(U1);
        Change c = sim.admin().changes(WRITES).stream()
                .filter(x -> x.kind().equals(Change.MEMBER_REMOVED) && x.targetId().equals(ASSIGNED)).findFirst().orElseThrow();
        assertThat(c.targetId()).isEqualTo(ASSIGNED);
        assertThat(c.memberId()).isEqualTo(U2);
        assertThat(c.before().get("members")).extracting(JsonNode::asText).containsExactly(U1, U2);
        assertThat(c.after().get("members")).extracting(JsonNode::asText).containsExactly(U1);
        assertThat(c.actor()).isEqualTo(sim.credentials(WRITES).clientId());
        // no longer a direct member → 404
        assertThatThrownBy(() -> g.groups().byGroupId(ASSIGNED).members().byDirectoryObjectId(U2).ref().delete())
                .isInstanceOfSatisfying(ODataError.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(404));
    }

    @Test
    void removalIsRefusedForDynamicSyncedAndMailEnabledGroupsAndNonMembers() {
        record Refusal(String group, String member, int status, String mentions) {
        }
        for (Refusal r : List.of(
                new Refusal(DYNAMIC, U3, 400, "dynamic"),
                new Refusal(SYNCED, U3, 400, "on-premises"),
                new Refusal(MAIL_SECURITY, U3, 400, "mail-enabled"),
                new Refusal(OUTER, U1, 404, U1),
                new Refusal("7e200000-0000-4000-8000-0000000000ff", U1, 404, "7e200000-0000-4000-8000-0000000000ff"))) {
            Http.Res res = Http.method("DELETE", sim.graphBaseUrl() + "/groups/" + r.group() + "/members/" + r.member() + "/$ref",
                    sim.staticToken(WRITES), null);
            assertThat(res.status()).as(r.toString()).isEqualTo(r.status());
            assertThat(res.json().at("/error/message").asText()).as(r.toString()).contains(r.mentions());
        }
        assertThat(Http.get(sim, WRITES, "/groups/" + DYNAMIC + "/members/" + U3).status()).isEqualTo(200);
        assertThat(Http.get(sim, WRITES, "/groups/" + SYNCED + "/members/" + U3).status()).isEqualTo(200);
    }

    @Test
    void membershipWritesNeedGroupMemberReadWriteAndRoleManagementForRoleAssignableGroups() {
        String url = sim.graphBaseUrl() + "/groups/" + ASSIGNED + "/members/" + U1 + "/$ref";
        Http.Res readOnly = Http.method("DELETE", url, sim.admin().mintToken(READ_ONLY), null);
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.json().at("/error/code").asText()).isEqualTo("Authorization_RequestDenied");
        assertThat(Http.post(sim, READ_ONLY, "/groups/" + ASSIGNED + "/members/$ref",
                "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + U4 + "\"}").status()).isEqualTo(403);
        // GroupMember.ReadWrite.All is not enough for a role-assignable group
        Http.Res roleGroup = Http.method("DELETE", sim.graphBaseUrl() + "/groups/" + ROLE_GROUP + "/members/" + U1 + "/$ref",
                sim.staticToken(NO_ROLE_MGMT), null);
        assertThat(roleGroup.status()).isEqualTo(403);
        // ... but is for an ordinary one
        assertThat(Http.method("DELETE", sim.graphBaseUrl() + "/groups/" + ADD_TARGET + "/members/" + U1 + "/$ref",
                sim.staticToken(NO_ROLE_MGMT), null).status()).isEqualTo(204);
        // reads stay allowed, and the refused writes changed nothing
        assertThat(Http.get(sim, READ_ONLY, "/groups/" + ASSIGNED + "/members/" + U1).status()).isEqualTo(200);
        assertThat(Http.get(sim, NO_ROLE_MGMT, "/groups/" + ROLE_GROUP + "/members/" + U1).status()).isEqualTo(200);
        assertThat(sim.admin().changes(READ_ONLY)).isEmpty();
        // (with both permissions the role-assignable group's member is removed: memberRemovalInsideBatch…)
    }

    @Test
    void addingAMemberWithTheSdkWorksOnceThenIsRefusedAsExisting() {
        GraphServiceClient g = SdkClients.graph(sim, WRITES);
        ReferenceCreate ref = new ReferenceCreate();
        ref.setOdataId("https://graph.microsoft.com/v1.0/directoryObjects/" + U3);
        g.groups().byGroupId(ADD_TARGET).members().ref().post(ref);
        assertThat(Http.get(sim, WRITES, "/groups/" + ADD_TARGET + "/members/" + U3).status()).isEqualTo(200);
        assertThat(transitiveIds(ADD_TARGET)).contains(U3);
        ReferenceCreate again = new ReferenceCreate(); // a fresh model: the SDK's backing store sends a used one empty
        again.setOdataId("https://graph.microsoft.com/v1.0/directoryObjects/" + U3);
        assertThatThrownBy(() -> g.groups().byGroupId(ADD_TARGET).members().ref().post(again))
                .isInstanceOfSatisfying(ODataError.class, e -> {
                    assertThat(e.getResponseStatusCode()).isEqualTo(400);
                    assertThat(e.getError().getMessage()).isEqualTo(
                            "One or more added object references already exist for the following modified properties: 'members'.");
                });
        assertThat(sim.admin().changes(WRITES)).filteredOn(c -> c.kind().equals(Change.MEMBER_ADDED) && c.memberId().equals(U3))
                .singleElement().satisfies(c -> assertThat(c.targetId()).isEqualTo(ADD_TARGET));
        // refused where removal is refused
        for (String group : List.of(DYNAMIC, SYNCED)) {
            assertThat(Http.post(sim, WRITES, "/groups/" + group + "/members/$ref",
                    "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + U4 + "\"}").status()).isEqualTo(400);
        }
        assertThat(Http.post(sim, WRITES, "/groups/" + ADD_TARGET + "/members/$ref", "{}").status()).isEqualTo(400);
    }

    @Test
    void memberRemovalInsideBatchIsRoutedAndLimitedAsADirectoryWrite() {
        Http.Res r = Http.post(sim, WRITES, "/$batch", """
                {"requests":[{"id":"1","method":"GET","url":"/groups/%s/members/%s"},
                 {"id":"2","method":"DELETE","url":"/groups/%s/members/%s/$ref","dependsOn":["1"]},
                 {"id":"3","method":"GET","url":"/groups/%s/members/%s","dependsOn":["2"]}]}"""
                .formatted(ROLE_GROUP, U1, ROLE_GROUP, U1, ROLE_GROUP, U1));
        assertThat(r.json().get("responses")).extracting(n -> n.get("id").asText() + ":" + n.get("status").asInt())
                .containsExactly("1:200", "2:204", "3:404");
        assertThat(r.json().at("/responses/1/headers/x-ms-resource-unit").asText()).isEqualTo("1");
        assertThat(sim.counters().forTenant(WRITES, "groupMemberRemove")).isGreaterThanOrEqualTo(1);
    }

    static List<String> transitiveIds(String group) {
        List<String> ids = new ArrayList<>();
        Http.get(sim, WRITES, "/groups/" + group + "/transitiveMembers").json().get("value").forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }
}
