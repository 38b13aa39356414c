package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.model.BuiltInRoles;
import io.mfagov.graphsim.model.TenantFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mfagov.graphsim.DemoTenants.MESSY;
import static io.mfagov.graphsim.DemoTenants.SECURITY_DEFAULTS;
import static io.mfagov.graphsim.DemoTenants.WELL_RUN;
import static io.mfagov.graphsim.Http.example;
import static io.mfagov.graphsim.Http.get;
import static io.mfagov.graphsim.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/** Each endpoint's answer has the shape of Microsoft's documented example (names and JSON types). */
class GraphShapeTest {

    static GraphSimulator sim;
    static final String LEGACY_TENANT = "7e000000-0000-4000-8000-00000000e001";

    @BeforeAll
    static void start() {
        TenantFixture legacy = new TenantFixture();
        legacy.tenantId = LEGACY_TENANT;
        legacy.displayName = "Legacy example tenant";
        legacy.app = new TenantFixture.SimulatorApp("7e000000-0000-4000-8000-00000000a001", "sim-secret-legacy");
        legacy.conditionalAccessPolicies.add((ObjectNode) example("ca-policy-get-legacy-example.json"));
        legacy.conditionalAccessPolicies.add((ObjectNode) example("ca-policies-list.json").get("value").get(1));
        sim = GraphSimulator.start(Http.config().demoTenants().tenant(legacy).noLimits().build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void policyListMatchesMicrosoftsDocumentedShape() {
        Http.Res r = get(sim, WELL_RUN, "/identity/conditionalAccess/policies");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode ex = example("ca-policies-list.json");
        JsonNode body = r.json();
        assertThat(Shapes.keys(body)).isEqualTo(Shapes.keys(ex));
        assertThat(body.get("value")).hasSize(5);
        for (JsonNode p : body.get("value")) {
            // the example's second policy has every property populated (authenticationStrength, sessionControls)
            assertThat(Shapes.exactDifferences(ex.get("value").get(1), p)).as(p.get("displayName").asText()).isEmpty();
            assertThat(Shapes.exactDifferences(ex.get("value").get(0), p)).isEmpty();
        }
    }

    @Test
    void policyGetMatchesMicrosoftsDocumentedShape() {
        String id = get(sim, WELL_RUN, "/identity/conditionalAccess/policies").json().get("value").get(3).get("id").asText();
        Http.Res r = get(sim, WELL_RUN, "/identity/conditionalAccess/policies/" + id);
        assertThat(r.status()).isEqualTo(200);
        assertThat(Shapes.exactDifferences(example("ca-policy-get.json"), r.json())).isEmpty();
        assertThat(r.json().at("/grantControls/authenticationStrength/displayName").asText()).isEqualTo("Phishing-resistant MFA");
    }

    @Test
    void microsoftsOwnPoliciesServedBackInTheCurrentShape() {
        JsonNode list = get(sim, LEGACY_TENANT, "/identity/conditionalAccess/policies").json();
        JsonNode legacy = list.get("value").get(0);
        assertThat(Shapes.exactDifferences(example("ca-policies-list.json").get("value").get(1), legacy)).isEmpty();
        assertThat(legacy.at("/conditions/users/excludeRoles/0").asText()).isEqualTo("b0f54661-2d74-4c50-afa3-1ec803f12efe");
        assertThat(legacy.at("/conditions/users/excludeUsers/1").asText()).isEqualTo("GuestsOrExternalUsers");
        assertThat(legacy.at("/conditions/locations/excludeLocations")).hasSize(2);
        JsonNode current = list.get("value").get(1);
        JsonNode expected = example("ca-policies-list.json").get("value").get(1);
        assertThat(current.get("conditions")).isEqualTo(expected.get("conditions"));
        assertThat(current.get("sessionControls")).isEqualTo(expected.get("sessionControls"));
        assertThat(current.at("/grantControls/authenticationStrength/allowedCombinations"))
                .isEqualTo(expected.at("/grantControls/authenticationStrength/allowedCombinations"));
    }

    @Test
    void namedLocationsMatchMicrosoftsDocumentedShape() {
        Http.Res r = get(sim, MESSY, "/identity/conditionalAccess/namedLocations");
        assertThat(r.status()).isEqualTo(200);
        JsonNode ex = example("namedLocations.json");
        assertThat(Shapes.keys(r.json())).isEqualTo(Shapes.keys(ex));
        JsonNode items = r.json().get("value");
        assertThat(items).hasSize(2);
        assertThat(Shapes.exactDifferences(ex.get("value").get(0), items.get(0))).isEmpty(); // ip
        assertThat(Shapes.exactDifferences(ex.get("value").get(1), items.get(1))).isEmpty(); // country
        assertThat(items.get(0).get("isTrusted").asBoolean()).isTrue();
    }

    @Test
    void organizationMatchesMicrosoftsDocumentedShape() {
        Http.Res r = get(sim, WELL_RUN, "/organization");
        assertThat(r.status()).isEqualTo(200);
        assertThat(Shapes.exactDifferences(example("organization.json"), r.json())).isEmpty();
        assertThat(r.json().at("/value/0/id").asText()).isEqualTo(WELL_RUN);
    }

    @Test
    void securityDefaultsMatchMicrosoftsDocumentedShape() {
        Http.Res on = get(sim, SECURITY_DEFAULTS, "/policies/identitySecurityDefaultsEnforcementPolicy");
        assertThat(Shapes.exactDifferences(example("securityDefaults.json"), on.json())).isEmpty();
        assertThat(on.json().get("isEnabled").asBoolean()).isTrue();
        assertThat(get(sim, WELL_RUN, "/policies/identitySecurityDefaultsEnforcementPolicy").json().get("isEnabled").asBoolean()).isFalse();
        assertThat(get(sim, SECURITY_DEFAULTS, "/identity/conditionalAccess/policies").json().get("value")).isEmpty();
    }

    @Test
    void getByIdsMatchesMicrosoftsDocumentedShape() {
        var t = sim.tenant(MESSY);
        String user = t.users().get(0).id();
        String group = t.groups().get(1).id();
        String sp = t.servicePrincipals().get(0).id();
        Http.Res r = post(sim, MESSY, "/directoryObjects/getByIds",
                "{\"ids\":[\"" + user + "\",\"" + group + "\",\"" + sp + "\",\"d2000000-0000-4000-8000-0000000dead1\"],"
                        + "\"types\":[\"user\",\"group\",\"servicePrincipal\"]}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode ex = example("getByIds.json");
        JsonNode v = r.json().get("value");
        assertThat(v).hasSize(3); // the deleted user is simply absent, as in Graph
        assertThat(Shapes.keys(r.json())).isEqualTo(Shapes.keys(ex));
        assertThat(Shapes.supersetDifferences(ex.get("value").get(0), v.get(0))).isEmpty();
        assertThat(Shapes.supersetDifferences(ex.get("value").get(2), v.get(1))).isEmpty();
        assertThat(v.get(2).get("@odata.type").asText()).isEqualTo("#microsoft.graph.servicePrincipal");
        // types narrows, $select projects
        JsonNode onlyUsers = post(sim, MESSY, "/directoryObjects/getByIds?$select=id,displayName,userType",
                "{\"ids\":[\"" + user + "\",\"" + group + "\"],\"types\":[\"user\"]}").json().get("value");
        assertThat(onlyUsers).hasSize(1);
        assertThat(Shapes.keys(onlyUsers.get(0))).containsExactlyInAnyOrder("@odata.type", "id", "displayName", "userType");
    }

    @Test
    void getByIdsRefusesMoreThan1000Ids() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            ids.append(i == 0 ? "" : ",").append("\"").append(java.util.UUID.randomUUID()).append("\"");
        }
        Http.Res r = post(sim, MESSY, "/directoryObjects/getByIds", "{\"ids\":[" + ids + "]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(Shapes.exactDifferences(example("batch-response.json").at("/responses/2/body"), r.json())).isEmpty();
    }

    @Test
    void userMatchesGraphsDefaultPropertySet() {
        var u = sim.tenant(WELL_RUN).users().get(2);
        Http.Res r = get(sim, WELL_RUN, "/users/" + u.id());
        assertThat(r.status()).isEqualTo(200);
        JsonNode member = example("directoryRoleMembers.json").get("value").get(0);
        assertThat(Shapes.supersetDifferences(member, r.json())).isEmpty();
        assertThat(r.json().has("userType")).as("non-default property needs $select").isFalse();
        JsonNode byUpn = get(sim, WELL_RUN, "/users/" + u.userPrincipalName() + "?$select=id,userType,accountEnabled").json();
        assertThat(Shapes.keys(byUpn)).containsExactlyInAnyOrder("@odata.context", "id", "userType", "accountEnabled");
        assertThat(get(sim, WELL_RUN, "/users/00000000-0000-4000-8000-000000000000").status()).isEqualTo(404);
    }

    @Test
    void transitiveMembersMatchMicrosoftsDocumentedShapes() {
        var t = sim.tenant(MESSY);
        String legacy = t.groups().stream().filter(g -> g.displayName().startsWith("Legacy")).findFirst().orElseThrow().id();
        JsonNode all = get(sim, MESSY, "/groups/" + legacy + "/transitiveMembers").json();
        assertThat(Shapes.supersetDifferences(example("transitiveMembers.json"), all)).isEmpty();
        // svc-scanner, the nested device group, and its two device accounts
        assertThat(all.get("value")).hasSize(4);
        JsonNode users = get(sim, MESSY, "/groups/" + legacy + "/transitiveMembers/microsoft.graph.user?$count=true&$select=displayName,id").json();
        assertThat(Shapes.exactDifferences(example("transitiveMembers-user-cast.json"), users)).isEmpty();
        assertThat(users.get("@odata.count").asInt()).isEqualTo(3);
        JsonNode groups = get(sim, MESSY, "/groups/" + legacy + "/transitiveMembers/microsoft.graph.group?$count=true").json();
        assertThat(Shapes.supersetDifferences(example("transitiveMembers-group-cast.json"), groups)).isEmpty();
        assertThat(groups.get("value")).hasSize(1);
    }

    @Test
    void transitiveMembersTopAbove999IsGraphsError() {
        String g = sim.tenant(MESSY).groups().get(0).id();
        Http.Res r = get(sim, MESSY, "/groups/" + g + "/transitiveMembers?$top=1000");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText())
                .isEqualTo("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
    }

    @Test
    void roleAssignmentsMatchMicrosoftsDocumentedShape() {
        Http.Res r = get(sim, WELL_RUN, "/roleManagement/directory/roleAssignments?$filter=roleDefinitionId%20eq%20'"
                + BuiltInRoles.GLOBAL_ADMINISTRATOR + "'&$expand=principal");
        assertThat(r.status()).isEqualTo(200);
        JsonNode ex = example("roleAssignments.json");
        assertThat(Shapes.keys(r.json())).isEqualTo(Shapes.keys(ex));
        JsonNode v = r.json().get("value");
        assertThat(v).hasSize(3);
        assertThat(Shapes.supersetDifferences(ex.get("value").get(0), v.get(0))).isEmpty();
        assertThat(Shapes.keys(v.get(0))).isEqualTo(Shapes.keys(ex.get("value").get(0)));
        assertThat(r.json().get("@odata.context").asText()).endsWith("roleManagement/directory/roleAssignments(principal())");
        JsonNode plain = get(sim, WELL_RUN, "/roleManagement/directory/roleAssignments").json().get("value").get(0);
        assertThat(plain.has("principal")).isFalse();
    }

    @Test
    void directoryRoleMembersMatchMicrosoftsDocumentedShape() {
        Http.Res r = get(sim, WELL_RUN, "/directoryRoles(roleTemplateId='" + BuiltInRoles.GLOBAL_ADMINISTRATOR + "')/members");
        assertThat(r.status()).isEqualTo(200);
        assertThat(Shapes.supersetDifferences(example("directoryRoleMembers.json"), r.json())).isEmpty();
        assertThat(r.json().get("value")).hasSize(3);
        // AU-scoped assignments don't make a directory role member; a role nobody holds is not activated (404)
        assertThat(get(sim, MESSY, "/directoryRoles(roleTemplateId='" + BuiltInRoles.HELPDESK_ADMINISTRATOR + "')/members").status())
                .isEqualTo(404);
    }

    @Test
    void registrationDetailsMatchMicrosoftsDocumentedShape() {
        Http.Res r = get(sim, WELL_RUN, "/reports/authenticationMethods/userRegistrationDetails");
        assertThat(r.status()).isEqualTo(200);
        assertThat(Shapes.exactDifferences(example("userRegistrationDetails.json"), r.json())).isEmpty();
        JsonNode guest = get(sim, WELL_RUN, "/reports/authenticationMethods/userRegistrationDetails?$filter=userType%20eq%20'guest'").json();
        assertThat(guest.get("value")).hasSize(1);
        JsonNode notRegistered = get(sim, WELL_RUN,
                "/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered%20eq%20false").json();
        assertThat(notRegistered.get("value")).extracting(n -> n.get("userDisplayName").asText()).containsExactly("Joni Sherman");
        JsonNode fido = get(sim, WELL_RUN,
                "/reports/authenticationMethods/userRegistrationDetails?$filter=methodsRegistered/any(m:m%20eq%20'fido2')").json();
        assertThat(fido.get("value")).hasSize(3);
    }

    @Test
    void signInsMatchMicrosoftsDocumentedShapesInV1AndBeta() {
        Http.Res v1 = get(sim, WELL_RUN, "/auditLogs/signIns");
        assertThat(v1.status()).isEqualTo(200);
        JsonNode exV1 = example("signIns.json");
        assertThat(Shapes.exactDifferences(exV1.get("value").get(0), v1.json().get("value").get(0))).isEmpty();
        assertThat(v1.json().get("value").get(0).has("authenticationRequirement")).isFalse();
        Http.Res beta = get(sim.betaBaseUrl() + "/auditLogs/signIns", sim.staticToken(WELL_RUN));
        assertThat(beta.status()).isEqualTo(200);
        assertThat(Shapes.exactDifferences(example("signIns-beta.json"), beta.json())).isEmpty();
        assertThat(beta.json().at("/value/0/authenticationRequirement").asText()).isEqualTo("multiFactorAuthentication");
        assertThat(beta.json().get("@odata.context").asText()).contains("/beta/$metadata#auditLogs/signIns");
    }

    @Test
    void authenticationMethodsMatchMicrosoftsDocumentedShape() {
        var adele = sim.tenant(WELL_RUN).users().get(2); // fido2 + authenticator + otp
        Http.Res r = get(sim, WELL_RUN, "/users/" + adele.id() + "/authentication/methods");
        assertThat(r.status()).isEqualTo(200);
        JsonNode ex = example("authMethods.json");
        assertThat(Shapes.keys(r.json())).contains("value");
        JsonNode fido = null;
        for (JsonNode m : r.json().get("value")) {
            if (m.get("@odata.type").asText().endsWith("fido2AuthenticationMethod")) {
                fido = m;
            }
        }
        assertThat(fido).isNotNull();
        assertThat(Shapes.supersetDifferences(ex.get("value").get(0), fido)).isEmpty();
        assertThat(r.json().get("value")).extracting(m -> m.get("@odata.type").asText()).contains(
                "#microsoft.graph.passwordAuthenticationMethod", "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
                "#microsoft.graph.softwareOathAuthenticationMethod");
    }

    @Test
    void servicePrincipalsFilterByAppId() {
        var sp = sim.tenant(MESSY).servicePrincipals().get(1);
        JsonNode r = get(sim, MESSY, "/servicePrincipals?$filter=appId%20eq%20'" + sp.appId() + "'").json();
        assertThat(r.get("value")).hasSize(1);
        assertThat(r.at("/value/0/displayName").asText()).isEqualTo("TMS Cloud");
        assertThat(r.at("/value/0/appId").asText()).isEqualTo(sp.appId());
    }

    @Test
    void errorsAreGraphErrorJson() {
        JsonNode ex = example("batch-response.json").at("/responses/2/body");
        Http.Res unknown = get(sim, WELL_RUN, "/nope/nothing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(Shapes.exactDifferences(ex, unknown.json())).isEmpty();
        Http.Res badFilter = get(sim, WELL_RUN, "/users?$filter=userType%20eq");
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(Shapes.exactDifferences(ex, badFilter.json())).isEmpty();
        Http.Res badProperty = get(sim, WELL_RUN, "/users?$filter=shoeSize%20eq%2042");
        assertThat(badProperty.status()).isEqualTo(400);
        assertThat(badProperty.json().at("/error/message").asText()).contains("shoeSize");
        Http.Res badTop = get(sim, WELL_RUN, "/users?$top=abc");
        assertThat(badTop.status()).isEqualTo(400);
        Http.Res badBody = post(sim, WELL_RUN, "/directoryObjects/getByIds", "{not json");
        assertThat(badBody.status()).isEqualTo(400);
        assertThat(Shapes.exactDifferences(ex, badBody.json())).isEmpty();
        Http.Res badSelect = get(sim, WELL_RUN, "/users?$select=id,nope");
        assertThat(badSelect.status()).isEqualTo(400);
        Http.Res wrongMethod = Http.method("DELETE", sim.graphBaseUrl() + "/users", sim.staticToken(WELL_RUN), null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        Http.Res noToken = get(sim.graphBaseUrl() + "/users", null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.json().at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(Shapes.exactDifferences(ex, noToken.json())).isEmpty();
    }

    @Test
    void usersFilterForms() {
        List<String> guests = new java.util.ArrayList<>();
        get(sim, MESSY, "/users?$filter=userType%20eq%20'Guest'&$select=id,userType").json().get("value")
                .forEach(u -> guests.add(u.get("userType").asText()));
        assertThat(guests).containsExactly("Guest");
        assertThat(get(sim, MESSY, "/users?$filter=startswith(userPrincipalName,'scanner')").json().get("value")).hasSize(2);
        assertThat(get(sim, MESSY, "/users?$filter=accountEnabled%20eq%20true%20and%20userType%20eq%20'Member'&$count=true")
                .json().get("@odata.count").asInt()).isEqualTo(9);
    }
}
