package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.AuthenticationStrengthPolicy;
import com.microsoft.graph.models.AuthenticationStrengthPolicyType;
import com.microsoft.graph.models.AuthenticationStrengthRequirements;
import com.microsoft.graph.models.PrivilegedAccessGroupEligibilityScheduleInstance;
import com.microsoft.graph.models.PrivilegedAccessGroupRelationships;
import com.microsoft.graph.models.UnifiedRoleAssignment;
import com.microsoft.graph.models.UnifiedRoleAssignmentCollectionResponse;
import com.microsoft.graph.models.UnifiedRoleEligibilityScheduleInstance;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mfagov.graphsim.model.BuiltInRoles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.mfagov.graphsim.Http.example;
import static io.mfagov.graphsim.Http.get;
import static io.mfagov.graphsim.Http.post;
import static io.mfagov.graphsim.WholePolicyTenants.ADA;
import static io.mfagov.graphsim.WholePolicyTenants.ADMINS_GROUP;
import static io.mfagov.graphsim.WholePolicyTenants.BEN;
import static io.mfagov.graphsim.WholePolicyTenants.CLEO;
import static io.mfagov.graphsim.WholePolicyTenants.CUSTOM_STRENGTH;
import static io.mfagov.graphsim.WholePolicyTenants.STAFF_GROUP;
import static io.mfagov.graphsim.WholePolicyTenants.TENANT;
import static io.mfagov.graphsim.WholePolicyTenants.UNLICENSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The endpoints the scanner's whole-policy semantics read, over HTTP and through the real Graph SDK: authentication
 * strengths, PIM role and group eligibility (and their licence refusal), role assignments without a filter, users
 * filtered on accountEnabled and paged.
 */
class WholePolicyEndpointsTest {

    static GraphSimulator sim;

    @BeforeAll
    static void start() {
        sim = GraphSimulator.start(Http.config().tenant(WholePolicyTenants.licensed()).tenant(WholePolicyTenants.unlicensed())
                .noLimits().build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static GraphServiceClient graph(String tenant) {
        return SdkClients.graph(sim, tenant);
    }

    static String q(String s) {
        return s.replace(" ", "%20");
    }

    /** Follows nextLinks verbatim; fails on a repeated link or a non-200 page. */
    static List<JsonNode> collect(String tenant, String firstPathAndQuery) {
        List<JsonNode> items = new ArrayList<>();
        Set<String> links = new HashSet<>();
        String url = sim.graphBaseUrl() + firstPathAndQuery;
        while (url != null) {
            assertThat(links.add(url)).as("nextLink loop").isTrue();
            Http.Res r = Http.get(url, sim.staticToken(tenant));
            assertThat(r.status()).as(url + " → " + r.body()).isEqualTo(200);
            r.json().get("value").forEach(items::add);
            JsonNode next = r.json().get("@odata.nextLink");
            url = next == null ? null : next.asText();
        }
        return items;
    }

    // ---- authentication strengths -------------------------------------------------------------------------------

    @Test
    void authenticationStrengthsListTheBuiltInOnesAndTheTenantsCustomOnes() {
        Http.Res r = get(sim, TENANT, "/policies/authenticationStrengthPolicies");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-ms-resource-unit")).isEqualTo("1");
        JsonNode ex = example("authenticationStrengthPolicies.json");
        assertThat(Shapes.keys(r.json())).isEqualTo(Shapes.keys(ex));
        JsonNode v = r.json().get("value");
        assertThat(v).extracting(n -> n.get("id").asText()).containsExactly("00000000-0000-0000-0000-000000000002",
                "00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004", CUSTOM_STRENGTH);
        for (int i = 0; i < 3; i++) {
            assertThat(Shapes.exactDifferences(ex.get("value").get(i), v.get(i))).isEmpty();
            assertThat(v.get(i).get("policyType").asText()).isEqualTo("builtIn");
            assertThat(v.get(i).get("requirementsSatisfied").asText()).isEqualTo("mfa");
            assertThat(v.get(i).get("combinationConfigurations@odata.context").asText())
                    .endsWith("#policies/authenticationStrengthPolicies('" + v.get(i).get("id").asText() + "')/combinationConfigurations");
        }
        assertThat(v.get(0).get("displayName").asText()).isEqualTo("Multifactor authentication");
        assertThat(v.get(1).get("displayName").asText()).isEqualTo("Passwordless MFA");
        assertThat(v.get(2).get("displayName").asText()).isEqualTo("Phishing-resistant MFA");
        assertThat(v.get(2).get("allowedCombinations")).extracting(JsonNode::asText)
                .containsExactly("windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor");
        JsonNode custom = v.get(3);
        assertThat(Shapes.exactDifferences(ex.get("value").get(0), custom)).isEmpty();
        assertThat(custom.get("policyType").asText()).isEqualTo("custom");
        assertThat(custom.get("requirementsSatisfied").asText()).isEqualTo("mfa");
        // qrCodePin comes after unknownFutureValue in authenticationMethodModes
        assertThat(custom.get("allowedCombinations")).extracting(JsonNode::asText)
                .containsExactly("fido2", "temporaryAccessPassOneTime", "unknownFutureValue");

        JsonNode onlyCustom = get(sim, TENANT, "/policies/authenticationStrengthPolicies?$filter=" + q("policyType eq 'custom'")).json();
        assertThat(onlyCustom.get("value")).extracting(n -> n.get("id").asText()).containsExactly(CUSTOM_STRENGTH);
    }

    @Test
    void anAuthenticationStrengthIsReadById() {
        Http.Res r = get(sim, TENANT, "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("@odata.context").asText()).endsWith("/v1.0/$metadata#policies/authenticationStrengthPolicies/$entity");
        assertThat(r.json().get("displayName").asText()).isEqualTo("Phishing-resistant MFA");
        assertThat(get(sim, TENANT, "/policies/authenticationStrengthPolicies/" + CUSTOM_STRENGTH).json()
                .get("displayName").asText()).isEqualTo("Contoso FIDO2 or TAP");
        Http.Res missing = get(sim, TENANT, "/policies/authenticationStrengthPolicies/5c600000-0000-4000-8000-0000000000ff");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("Request_ResourceNotFound");
    }

    @Test
    void realGraphSdkReadsAuthenticationStrengths() {
        GraphServiceClient g = graph(TENANT);
        List<AuthenticationStrengthPolicy> all = g.policies().authenticationStrengthPolicies().get().getValue();
        assertThat(all).hasSize(4);
        assertThat(all.get(0).getPolicyType()).isEqualTo(AuthenticationStrengthPolicyType.BuiltIn);
        assertThat(all.get(0).getRequirementsSatisfied()).containsExactly(AuthenticationStrengthRequirements.Mfa);
        assertThat(all.get(3).getPolicyType()).isEqualTo(AuthenticationStrengthPolicyType.Custom);
        AuthenticationStrengthPolicy phishing = g.policies().authenticationStrengthPolicies()
                .byAuthenticationStrengthPolicyId("00000000-0000-0000-0000-000000000004").get();
        assertThat(phishing.getDisplayName()).isEqualTo("Phishing-resistant MFA");
        assertThat(phishing.getRequirementsSatisfied()).containsExactly(AuthenticationStrengthRequirements.Mfa);
    }

    // ---- PIM: role eligibility ------------------------------------------------------------------------------------

    @Test
    void roleEligibilitiesListWithAndWithoutFilter() {
        Http.Res all = get(sim, TENANT, "/roleManagement/directory/roleEligibilityScheduleInstances");
        assertThat(all.status()).isEqualTo(200);
        JsonNode ex = example("roleEligibilityScheduleInstances.json");
        assertThat(Shapes.keys(all.json())).isEqualTo(Shapes.keys(ex));
        JsonNode v = all.json().get("value");
        assertThat(v).hasSize(3);
        for (JsonNode e : v) {
            assertThat(Shapes.exactDifferences(ex.get("value").get(0), e)).isEmpty();
            assertThat(e.get("id").asText()).endsWith("-1-e");
            assertThat(e.get("directoryScopeId").asText()).isEqualTo("/");
            assertThat(e.get("memberType").asText()).isEqualTo("Direct");
        }
        assertThat(v.get(0).get("startDateTime").asText()).isEqualTo("2025-01-10T09:00:00Z");
        assertThat(v.get(0).get("endDateTime").asText()).isEqualTo("2026-01-10T09:00:00Z");
        assertThat(v.get(1).get("endDateTime").isNull()).isTrue();

        JsonNode gas = get(sim, TENANT, "/roleManagement/directory/roleEligibilityScheduleInstances?$filter="
                + q("roleDefinitionId eq '" + BuiltInRoles.GLOBAL_ADMINISTRATOR + "'")).json().get("value");
        assertThat(gas).extracting(n -> n.get("principalId").asText()).containsExactly(BEN, ADMINS_GROUP);
        JsonNode bens = get(sim, TENANT, "/roleManagement/directory/roleEligibilityScheduleInstances?$filter="
                + q("principalId eq '" + BEN + "'") + "&$select=roleDefinitionId,principalId").json();
        assertThat(bens.get("value")).extracting(n -> n.get("roleDefinitionId").asText())
                .containsExactly(BuiltInRoles.GLOBAL_ADMINISTRATOR, BuiltInRoles.SECURITY_ADMINISTRATOR);
        assertThat(Shapes.keys(bens.at("/value/0"))).containsExactlyInAnyOrder("roleDefinitionId", "principalId");
        JsonNode expanded = get(sim, TENANT, "/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal").json();
        assertThat(expanded.get("@odata.context").asText()).endsWith("roleEligibilityScheduleInstances(principal())");
        assertThat(expanded.at("/value/0/principal/@odata.type").asText()).isEqualTo("#microsoft.graph.user");
        assertThat(expanded.at("/value/0/principal/userPrincipalName").asText()).startsWith("ben@");
        assertThat(expanded.at("/value/2/principal/@odata.type").asText()).isEqualTo("#microsoft.graph.group");
        assertThat(get(sim, TENANT, "/roleManagement/directory/roleEligibilityScheduleInstances?$expand=roleDefinition").status())
                .isEqualTo(400);
    }

    @Test
    void realGraphSdkListsRoleEligibilities() {
        GraphServiceClient g = graph(TENANT);
        List<UnifiedRoleEligibilityScheduleInstance> all = g.roleManagement().directory().roleEligibilityScheduleInstances()
                .get().getValue();
        assertThat(all).hasSize(3);
        assertThat(all.get(0).getEndDateTime()).isNotNull();
        List<UnifiedRoleEligibilityScheduleInstance> gas = g.roleManagement().directory().roleEligibilityScheduleInstances()
                .get(rc -> {
                    rc.queryParameters.filter = "roleDefinitionId eq '" + BuiltInRoles.GLOBAL_ADMINISTRATOR + "'";
                    rc.queryParameters.expand = new String[] {"principal"};
                }).getValue();
        assertThat(gas).extracting(UnifiedRoleEligibilityScheduleInstance::getPrincipalId).containsExactly(BEN, ADMINS_GROUP);
        assertThat(gas.get(0).getPrincipal()).isInstanceOf(User.class);
        assertThat(gas.get(1).getPrincipal()).isInstanceOf(com.microsoft.graph.models.Group.class);
    }

    // ---- PIM: group eligibility ------------------------------------------------------------------------------------

    @Test
    void groupEligibilitiesNeedAFilterOnGroupOrPrincipal() {
        Http.Res byGroup = get(sim, TENANT, "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter="
                + q("groupId eq '" + ADMINS_GROUP + "'"));
        assertThat(byGroup.status()).isEqualTo(200);
        JsonNode ex = example("groupEligibilityScheduleInstances.json");
        assertThat(Shapes.keys(byGroup.json())).isEqualTo(Shapes.keys(ex));
        JsonNode v = byGroup.json().get("value");
        assertThat(v).extracting(n -> n.get("accessId").asText() + ":" + n.get("principalId").asText())
                .containsExactly("member:" + CLEO, "owner:" + BEN);
        for (JsonNode e : v) {
            assertThat(Shapes.supersetDifferences(ex.get("value").get(0), e)).isEmpty();
            assertThat(Shapes.keys(e)).contains("eligibilityScheduleId");
            assertThat(e.get("id").asText()).startsWith(ADMINS_GROUP + "_" + e.get("accessId").asText() + "_");
            assertThat(e.get("endDateTime").isNull()).isTrue();
        }
        JsonNode byPrincipal = get(sim, TENANT, "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter="
                + q("principalId eq '" + CLEO + "'")).json().get("value");
        assertThat(byPrincipal).extracting(n -> n.get("groupId").asText()).containsExactly(ADMINS_GROUP, STAFF_GROUP);
        JsonNode members = get(sim, TENANT, "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter="
                + q("groupId eq '" + ADMINS_GROUP + "' and accessId eq 'member'") + "&$expand=principal").json().get("value");
        assertThat(members).hasSize(1);
        assertThat(members.at("/0/principal/id").asText()).isEqualTo(CLEO);

        JsonNode batchEx = example("batch-response.json").at("/responses/2/body");
        for (String query : new String[] {"", "?$filter=" + q("accessId eq 'member'"), "?$top=5"}) {
            Http.Res refused = get(sim, TENANT, "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances" + query);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(Shapes.exactDifferences(batchEx, refused.json())).isEmpty();
            assertThat(refused.json().at("/error/message").asText()).contains("groupId or principalId");
        }
    }

    @Test
    void realGraphSdkListsGroupEligibilities() {
        GraphServiceClient g = graph(TENANT);
        List<PrivilegedAccessGroupEligibilityScheduleInstance> list = g.identityGovernance().privilegedAccess().group()
                .eligibilityScheduleInstances().get(rc -> rc.queryParameters.filter = "groupId eq '" + ADMINS_GROUP + "'")
                .getValue();
        assertThat(list).extracting(PrivilegedAccessGroupEligibilityScheduleInstance::getPrincipalId).containsExactly(CLEO, BEN);
        assertThat(list.get(0).getAccessId()).isEqualTo(PrivilegedAccessGroupRelationships.Member);
        assertThat(list.get(1).getAccessId()).isEqualTo(PrivilegedAccessGroupRelationships.Owner);
        assertThatThrownBy(() -> g.identityGovernance().privilegedAccess().group().eligibilityScheduleInstances().get())
                .isInstanceOfSatisfying(ODataError.class, e -> {
                    assertThat(e.getResponseStatusCode()).isEqualTo(400);
                    assertThat(e.getError().getCode()).isEqualTo("BadRequest");
                });
    }

    @Test
    void aTenantWithoutEntraIdP2AnswersBothPimEndpointsWithTheLicenceError() {
        for (String path : new String[] {"/roleManagement/directory/roleEligibilityScheduleInstances",
            "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=" + q("groupId eq '" + ADMINS_GROUP + "'")}) {
            Http.Res r = get(sim, UNLICENSED, path);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("AadPremiumLicenseRequired");
            assertThat(r.json().at("/error/message").asText())
                    .isEqualTo("The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.");
            assertThat(Shapes.exactDifferences(example("batch-response.json").at("/responses/2/body"), r.json())).isEmpty();
        }
        // the rest of the directory answers as usual
        assertThat(get(sim, UNLICENSED, "/roleManagement/directory/roleAssignments").status()).isEqualTo(200);
        GraphServiceClient g = graph(UNLICENSED);
        assertThatThrownBy(() -> g.roleManagement().directory().roleEligibilityScheduleInstances().get())
                .isInstanceOfSatisfying(ODataError.class, e -> {
                    assertThat(e.getResponseStatusCode()).isEqualTo(400);
                    assertThat(e.getError().getCode()).isEqualTo("AadPremiumLicenseRequired");
                });
        assertThatThrownBy(() -> g.identityGovernance().privilegedAccess().group().eligibilityScheduleInstances()
                .get(rc -> rc.queryParameters.filter = "principalId eq '" + CLEO + "'"))
                .isInstanceOfSatisfying(ODataError.class, e -> assertThat(e.getError().getCode()).isEqualTo("AadPremiumLicenseRequired"));
    }

    @Test
    void pimEndpointsAnswerInsideBatch() {
        String body = """
                {"requests":[
                  {"id":"1","method":"GET","url":"/roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq '%s'"},
                  {"id":"2","method":"GET","url":"/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=groupId eq '%s'"},
                  {"id":"3","method":"GET","url":"/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances"},
                  {"id":"4","method":"GET","url":"/policies/authenticationStrengthPolicies"}
                ]}""".formatted(BEN, ADMINS_GROUP);
        JsonNode responses = post(sim, TENANT, "/$batch", body).json().get("responses");
        assertThat(responses).extracting(n -> n.get("id").asText() + ":" + n.get("status").asInt())
                .containsExactly("1:200", "2:200", "3:400", "4:200");
        assertThat(responses.at("/0/body/value")).hasSize(2);
        assertThat(responses.at("/1/body/value")).hasSize(2);
        assertThat(responses.at("/3/body/value")).hasSize(4);
        JsonNode unlicensed = post(sim, UNLICENSED, "/$batch", body).json().get("responses");
        assertThat(unlicensed).extracting(n -> n.get("id").asText() + ":" + n.get("status").asInt() + ":"
                + n.at("/body/error/code").asText("")).containsExactly("1:400:AadPremiumLicenseRequired",
                "2:400:AadPremiumLicenseRequired", "3:400:AadPremiumLicenseRequired", "4:200:");
    }

    // ---- role assignments and users, as the whole-policy scan reads them ------------------------------------------

    @Test
    void roleAssignmentsWithoutAFilterExpandPrincipalsAndPage() {
        List<JsonNode> all = collect(TENANT, "/roleManagement/directory/roleAssignments?$expand=principal&$top=2");
        assertThat(all).hasSize(5);
        assertThat(all).extracting(n -> n.get("id").asText()).doesNotHaveDuplicates();
        assertThat(all).extracting(n -> n.get("roleDefinitionId").asText()).containsExactly(BuiltInRoles.GLOBAL_ADMINISTRATOR,
                BuiltInRoles.SECURITY_ADMINISTRATOR, BuiltInRoles.GLOBAL_READER, BuiltInRoles.HELPDESK_ADMINISTRATOR,
                BuiltInRoles.USER_ADMINISTRATOR);
        assertThat(all.get(0).at("/principal/@odata.type").asText()).isEqualTo("#microsoft.graph.user");
        assertThat(all.get(0).at("/principal/id").asText()).isEqualTo(ADA);
        assertThat(all.get(1).at("/principal/@odata.type").asText()).isEqualTo("#microsoft.graph.group");
        assertThat(all.get(3).get("directoryScopeId").asText()).startsWith("/administrativeUnits/");
        JsonNode first = get(sim, TENANT, "/roleManagement/directory/roleAssignments?$expand=principal&$top=2").json();
        assertThat(first.get("@odata.nextLink").asText()).startsWith(sim.graphBaseUrl() + "/roleManagement/directory/roleAssignments?")
                .contains("$expand=principal");
        // default page: all five, no nextLink
        assertThat(get(sim, TENANT, "/roleManagement/directory/roleAssignments").json().has("@odata.nextLink")).isFalse();
    }

    @Test
    void realGraphSdkPagesRoleAssignmentsWithExpandedPrincipals() throws Exception {
        GraphServiceClient g = graph(TENANT);
        UnifiedRoleAssignmentCollectionResponse first = g.roleManagement().directory().roleAssignments().get(rc -> {
            rc.queryParameters.expand = new String[] {"principal"};
            rc.queryParameters.top = 2;
        });
        List<UnifiedRoleAssignment> all = new ArrayList<>();
        new PageIterator.Builder<UnifiedRoleAssignment, UnifiedRoleAssignmentCollectionResponse>()
                .client(g).collectionPage(first)
                .collectionPageFactory(UnifiedRoleAssignmentCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(all::add).build().iterate();
        assertThat(all).hasSize(5);
        assertThat(all.get(0).getPrincipal()).isInstanceOf(User.class);
        assertThat(((User) all.get(0).getPrincipal()).getUserPrincipalName()).startsWith("ada@");
        assertThat(all.get(1).getPrincipal()).isInstanceOf(com.microsoft.graph.models.Group.class);
    }

    @Test
    void usersFilteredOnAccountEnabledArePagedWithSelect() {
        List<JsonNode> enabled = collect(TENANT, "/users?$filter=" + q("accountEnabled eq true")
                + "&$select=id,userPrincipalName,accountEnabled&$top=3");
        assertThat(enabled).hasSize(10).extracting(n -> n.get("id").asText()).doesNotContain(WholePolicyTenants.DAN,
                WholePolicyTenants.EVE).doesNotHaveDuplicates();
        assertThat(enabled).allSatisfy(u -> {
            assertThat(Shapes.keys(u)).containsExactlyInAnyOrder("id", "userPrincipalName", "accountEnabled");
            assertThat(u.get("accountEnabled").asBoolean()).isTrue();
        });
        JsonNode first = get(sim, TENANT, "/users?$filter=" + q("accountEnabled eq true") + "&$select=id&$top=999&$count=true").json();
        assertThat(first.get("value")).hasSize(10);
        assertThat(first.get("@odata.count").asInt()).isEqualTo(10);
        assertThat(first.has("@odata.nextLink")).isFalse();
        assertThat(get(sim, TENANT, "/users?$filter=" + q("accountEnabled eq false")).json().get("value")).hasSize(2);
    }

    @Test
    void realGraphSdkPagesEnabledUsers() throws Exception {
        GraphServiceClient g = graph(TENANT);
        UserCollectionResponse first = g.users().get(rc -> {
            rc.queryParameters.filter = "accountEnabled eq true";
            rc.queryParameters.select = new String[] {"id", "userPrincipalName", "accountEnabled"};
            rc.queryParameters.top = 4;
        });
        List<User> users = new ArrayList<>();
        new PageIterator.Builder<User, UserCollectionResponse>().client(g).collectionPage(first)
                .collectionPageFactory(UserCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(users::add).build().iterate();
        assertThat(users).hasSize(10).allSatisfy(u -> assertThat(u.getAccountEnabled()).isTrue());
        assertThat(g.policies().identitySecurityDefaultsEnforcementPolicy().get().getIsEnabled()).isFalse();
    }

    @Test
    void securityDefaultsKeepMicrosoftsShape() {
        Http.Res r = get(sim, TENANT, "/policies/identitySecurityDefaultsEnforcementPolicy");
        assertThat(Shapes.exactDifferences(example("securityDefaults.json"), r.json())).isEmpty();
        assertThat(r.json().get("id").asText()).isEqualTo("00000000-0000-0000-0000-000000000005");
        JsonNode selected = get(sim, TENANT, "/policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled").json();
        assertThat(Shapes.keys(selected)).containsExactlyInAnyOrder("@odata.context", "isEnabled");
    }
}
