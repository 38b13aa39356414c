package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.graph.models.ConditionalAccessDevicePlatform;
import com.microsoft.graph.models.ConditionalAccessGrantControl;
import com.microsoft.graph.models.ConditionalAccessPolicy;
import com.microsoft.graph.models.CountryLookupMethodType;
import com.microsoft.graph.models.CountryNamedLocation;
import com.microsoft.graph.models.FilterMode;
import com.microsoft.graph.models.IPv4CidrRange;
import com.microsoft.graph.models.IPv6CidrRange;
import com.microsoft.graph.models.IpNamedLocation;
import com.microsoft.graph.models.NamedLocation;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mfagov.graphsim.model.Tenant;
import io.mfagov.graphsim.model.TenantFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

import static io.mfagov.graphsim.Http.example;
import static io.mfagov.graphsim.Http.get;
import static io.mfagov.graphsim.WholePolicyTenants.AS_GIVEN;
import static io.mfagov.graphsim.WholePolicyTenants.COUNTRY_LOCATION;
import static io.mfagov.graphsim.WholePolicyTenants.CUSTOM_STRENGTH;
import static io.mfagov.graphsim.WholePolicyTenants.IP_LOCATION;
import static io.mfagov.graphsim.WholePolicyTenants.POLICY_ALL_CONDITIONS;
import static io.mfagov.graphsim.WholePolicyTenants.POLICY_CUSTOM_STRENGTH;
import static io.mfagov.graphsim.WholePolicyTenants.POLICY_NAMED_STRENGTH;
import static io.mfagov.graphsim.WholePolicyTenants.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Conditional Access policies and named locations served as Graph does: every documented condition kept as the
 * fixture gives it and the rest filled with Graph's defaults, authentication strengths expanded or as given, and
 * enum members after unknownFutureValue only for requests with {@code Prefer: include-unknown-enum-members}.
 */
class PolicyShapesAndEnumsTest {

    static final String PREFER = "include-unknown-enum-members";
    static GraphSimulator sim;

    @BeforeAll
    static void start() {
        sim = GraphSimulator.start(Http.config().tenant(WholePolicyTenants.licensed())
                .tenant(WholePolicyTenants.strengthsAsGiven()).noLimits().build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static GraphServiceClient graph(String tenant) {
        return SdkClients.graph(sim, tenant);
    }

    static Http.Res getWith(String tenant, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.graphBaseUrl() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return Http.send(b, sim.staticToken(tenant));
    }

    static JsonNode policy(JsonNode list, String id) {
        for (JsonNode p : list.get("value")) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no policy " + id);
    }

    // ---- Prefer: include-unknown-enum-members ----------------------------------------------------------------------

    @Test
    void membersAfterUnknownFutureValueNeedThePreferHeader() {
        JsonNode plain = get(sim, TENANT, "/identity/conditionalAccess/policies").json();
        JsonNode every = policy(plain, POLICY_ALL_CONDITIONS);
        assertThat(every.at("/conditions/platforms/excludePlatforms")).extracting(JsonNode::asText)
                .containsExactly("unknownFutureValue", "macOS");
        assertThat(every.at("/grantControls/builtInControls")).extracting(JsonNode::asText)
                .containsExactly("mfa", "unknownFutureValue", "compliantDevice");
        assertThat(policy(plain, POLICY_CUSTOM_STRENGTH).at("/grantControls/authenticationStrength/allowedCombinations"))
                .extracting(JsonNode::asText).containsExactly("fido2", "temporaryAccessPassOneTime", "unknownFutureValue");
        // members before the sentinel are untouched
        assertThat(every.at("/conditions/clientAppTypes")).extracting(JsonNode::asText)
                .containsExactly("browser", "mobileAppsAndDesktopClients");
        assertThat(every.at("/conditions/users/excludeGuestsOrExternalUsers/guestOrExternalUserTypes").asText())
                .isEqualTo("b2bCollaborationGuest,serviceProvider");
        assertThat(every.at("/conditions/authenticationFlows/transferMethods").asText())
                .isEqualTo("deviceCodeFlow,authenticationTransfer");

        JsonNode preferred = getWith(TENANT, "/identity/conditionalAccess/policies", "Prefer", PREFER).json();
        JsonNode all = policy(preferred, POLICY_ALL_CONDITIONS);
        assertThat(all.at("/conditions/platforms/excludePlatforms")).extracting(JsonNode::asText).containsExactly("linux", "macOS");
        assertThat(all.at("/grantControls/builtInControls")).extracting(JsonNode::asText)
                .containsExactly("mfa", "riskRemediation", "compliantDevice");
        assertThat(policy(preferred, POLICY_CUSTOM_STRENGTH).at("/grantControls/authenticationStrength/allowedCombinations"))
                .extracting(JsonNode::asText).containsExactly("fido2", "temporaryAccessPassOneTime", "qrCodePin");

        // one policy, the list with a $select (no fast path), several preferences, several Prefer lines
        assertThat(get(sim, TENANT, "/identity/conditionalAccess/policies/" + POLICY_ALL_CONDITIONS).json()
                .at("/grantControls/builtInControls/1").asText()).isEqualTo("unknownFutureValue");
        assertThat(getWith(TENANT, "/identity/conditionalAccess/policies/" + POLICY_ALL_CONDITIONS, "Prefer", PREFER).json()
                .at("/grantControls/builtInControls/1").asText()).isEqualTo("riskRemediation");
        assertThat(policy(get(sim, TENANT, "/identity/conditionalAccess/policies?$select=id,conditions").json(), POLICY_ALL_CONDITIONS)
                .at("/conditions/platforms/excludePlatforms/0").asText()).isEqualTo("unknownFutureValue");
        assertThat(policy(getWith(TENANT, "/identity/conditionalAccess/policies?$select=id,conditions", "Prefer", PREFER).json(),
                POLICY_ALL_CONDITIONS).at("/conditions/platforms/excludePlatforms/0").asText()).isEqualTo("linux");
        assertThat(policy(getWith(TENANT, "/identity/conditionalAccess/policies", "Prefer", "return=minimal, " + PREFER).json(),
                POLICY_ALL_CONDITIONS).at("/grantControls/builtInControls/1").asText()).isEqualTo("riskRemediation");
        assertThat(policy(getWith(TENANT, "/identity/conditionalAccess/policies", "Prefer", "return=minimal", "Prefer", PREFER).json(),
                POLICY_ALL_CONDITIONS).at("/grantControls/builtInControls/1").asText()).isEqualTo("riskRemediation");
        assertThat(policy(getWith(TENANT, "/identity/conditionalAccess/policies", "Prefer", "return=minimal").json(),
                POLICY_ALL_CONDITIONS).at("/grantControls/builtInControls/1").asText()).isEqualTo("unknownFutureValue");
        // strengths endpoint too
        assertThat(getWith(TENANT, "/policies/authenticationStrengthPolicies/" + CUSTOM_STRENGTH, "Prefer", PREFER).json()
                .at("/allowedCombinations/2").asText()).isEqualTo("qrCodePin");
        // the tenant's state keeps every member
        assertThat(sim.tenant(TENANT).policy(POLICY_ALL_CONDITIONS).at("/grantControls/builtInControls/1").asText())
                .isEqualTo("riskRemediation");
    }

    @Test
    void preferIsPerStepInsideBatch() {
        String body = """
                {"requests":[
                  {"id":"1","method":"GET","url":"/identity/conditionalAccess/policies/%1$s"},
                  {"id":"2","method":"GET","url":"/identity/conditionalAccess/policies/%1$s","headers":{"Prefer":"include-unknown-enum-members"}},
                  {"id":"3","method":"GET","url":"/identity/conditionalAccess/policies","headers":{"prefer":"return=minimal,include-unknown-enum-members"}},
                  {"id":"4","method":"GET","url":"/identity/conditionalAccess/namedLocations","headers":{"Prefer":"include-unknown-enum-members"}}
                ]}""".formatted(POLICY_ALL_CONDITIONS);
        // a Prefer header on the envelope is not a step's header
        Http.Res r = Http.send(HttpRequest.newBuilder(URI.create(sim.graphBaseUrl() + "/$batch"))
                .header("Content-Type", "application/json").header("Prefer", PREFER)
                .POST(HttpRequest.BodyPublishers.ofString(body)), sim.staticToken(TENANT));
        JsonNode responses = r.json().get("responses");
        assertThat(responses).extracting(n -> n.get("status").asInt()).containsExactly(200, 200, 200, 200);
        assertThat(responses.at("/0/body/conditions/platforms/excludePlatforms/0").asText()).isEqualTo("unknownFutureValue");
        assertThat(responses.at("/0/body/grantControls/builtInControls/1").asText()).isEqualTo("unknownFutureValue");
        assertThat(responses.at("/1/body/conditions/platforms/excludePlatforms/0").asText()).isEqualTo("linux");
        assertThat(responses.at("/1/body/grantControls/builtInControls/1").asText()).isEqualTo("riskRemediation");
        assertThat(policy(responses.at("/2/body"), POLICY_ALL_CONDITIONS).at("/grantControls/builtInControls/1").asText())
                .isEqualTo("riskRemediation");
        assertThat(responses.at("/3/body/value")).hasSize(2);
    }

    @Test
    void realGraphSdkSeesUnknownFutureValueUnlessItAsksForMore() {
        GraphServiceClient g = graph(TENANT);
        ConditionalAccessPolicy plain = g.identity().conditionalAccess().policies().byConditionalAccessPolicyId(POLICY_ALL_CONDITIONS).get();
        assertThat(plain.getConditions().getPlatforms().getExcludePlatforms())
                .containsExactly(ConditionalAccessDevicePlatform.UnknownFutureValue, ConditionalAccessDevicePlatform.MacOS);
        assertThat(plain.getGrantControls().getBuiltInControls()).containsExactly(ConditionalAccessGrantControl.Mfa,
                ConditionalAccessGrantControl.UnknownFutureValue, ConditionalAccessGrantControl.CompliantDevice);
        List<ConditionalAccessPolicy> all = g.identity().conditionalAccess().policies()
                .get(rc -> rc.headers.add("Prefer", PREFER)).getValue();
        ConditionalAccessPolicy full = all.stream().filter(p -> p.getId().equals(POLICY_ALL_CONDITIONS)).findFirst().orElseThrow();
        assertThat(full.getConditions().getPlatforms().getExcludePlatforms())
                .containsExactly(ConditionalAccessDevicePlatform.Linux, ConditionalAccessDevicePlatform.MacOS);
        assertThat(full.getGrantControls().getBuiltInControls()).contains(ConditionalAccessGrantControl.RiskRemediation);
        // the documented conditions arrive typed
        assertThat(full.getConditions().getDevices().getDeviceFilter().getMode()).isEqualTo(FilterMode.Exclude);
        assertThat(full.getConditions().getApplications().getApplicationFilter().getRule()).contains("Baker");
        assertThat(full.getConditions().getApplications().getIncludeAuthenticationContextClassReferences()).containsExactly("c1");
        assertThat(full.getConditions().getAuthenticationFlows().getTransferMethods()).hasSize(2);
        assertThat(full.getConditions().getInsiderRiskLevels()).hasSize(2);
        assertThat(full.getConditions().getUsers().getExcludeGuestsOrExternalUsers().getExternalTenants().getOdataType())
                .isEqualTo("#microsoft.graph.conditionalAccessEnumeratedExternalTenants");
        assertThat(full.getGrantControls().getOperator()).isEqualTo("AND");
        assertThat(full.getGrantControls().getTermsOfUse()).hasSize(1);
    }

    // ---- CA policy shapes ------------------------------------------------------------------------------------------

    @Test
    void everyDocumentedConditionIsServedAsTheFixtureGivesItAndTheRestFilledAsGraphAnswers() {
        JsonNode p = getWith(TENANT, "/identity/conditionalAccess/policies/" + POLICY_ALL_CONDITIONS, "Prefer", PREFER).json();
        JsonNode ex = example("ca-policies-list.json").get("value").get(1);
        assertThat(Shapes.supersetDifferences(ex, p)).isEmpty();
        JsonNode c = p.get("conditions");
        assertThat(c.get("userRiskLevels")).extracting(JsonNode::asText).containsExactly("high");
        assertThat(c.get("signInRiskLevels")).extracting(JsonNode::asText).containsExactly("medium", "high");
        assertThat(c.get("servicePrincipalRiskLevels")).isEmpty();
        assertThat(c.get("insiderRiskLevels").asText()).isEqualTo("moderate,elevated");
        assertThat(c.at("/platforms/includePlatforms")).extracting(JsonNode::asText).containsExactly("all");
        assertThat(c.at("/locations/excludeLocations")).extracting(JsonNode::asText).containsExactly(IP_LOCATION, "AllTrusted");
        assertThat(c.get("devices")).isEqualTo(WholePolicyTenants.json(
                "{\"deviceFilter\":{\"mode\":\"exclude\",\"rule\":\"device.isCompliant -eq True\"}}"));
        assertThat(c.get("clientApplications").isNull()).isTrue();
        assertThat(c.at("/applications/includeUserActions")).isEmpty();
        assertThat(c.at("/applications/applicationFilter/mode").asText()).isEqualTo("exclude");
        assertThat(c.at("/users/includeGroups")).isEmpty();
        assertThat(c.at("/users/excludeRoles/0").asText()).isEqualTo(io.mfagov.graphsim.model.BuiltInRoles.GLOBAL_READER);
        assertThat(c.at("/users/includeGuestsOrExternalUsers").isNull()).isTrue();
        assertThat(c.at("/users/excludeGuestsOrExternalUsers/externalTenants/members/0").asText())
                .isEqualTo("5c900000-0000-4000-8000-000000000001");
        assertThat(p.at("/grantControls/operator").asText()).isEqualTo("AND");
        assertThat(p.at("/grantControls/termsOfUse")).hasSize(1);
        assertThat(p.at("/grantControls/authenticationStrength").isNull()).isTrue();
        assertThat(p.get("sessionControls").isNull()).isTrue();
        assertThat(p.get("createdDateTime").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(p.get("modifiedDateTime").isNull()).isTrue();

        JsonNode workload = policy(get(sim, TENANT, "/identity/conditionalAccess/policies").json(), POLICY_NAMED_STRENGTH);
        assertThat(workload.at("/conditions/clientApplications")).isEqualTo(WholePolicyTenants.json(
                "{\"includeServicePrincipals\":[\"ServicePrincipalsInMyTenant\"],\"excludeServicePrincipals\":[],"
                        + "\"servicePrincipalFilter\":null}"));
        // a policy without authenticationFlows has none, as in Microsoft's example
        assertThat(workload.get("conditions").has("authenticationFlows")).isFalse();
        assertThat(Shapes.exactDifferences(ex, workload)).isEmpty();
    }

    @Test
    void strengthsNamedByIdAreCompletedFromTheTenantsStrengths() {
        JsonNode custom = get(sim, TENANT, "/identity/conditionalAccess/policies/" + POLICY_CUSTOM_STRENGTH).json()
                .at("/grantControls/authenticationStrength");
        assertThat(Shapes.exactDifferences(example("ca-policy-get.json").at("/grantControls/authenticationStrength"), custom)).isEmpty();
        assertThat(custom.get("displayName").asText()).isEqualTo("Contoso FIDO2 or TAP");
        assertThat(custom.get("policyType").asText()).isEqualTo("custom");
        JsonNode named = get(sim, TENANT, "/identity/conditionalAccess/policies/" + POLICY_NAMED_STRENGTH).json()
                .at("/grantControls/authenticationStrength");
        assertThat(named.get("requirementsSatisfied").asText()).isEqualTo("mfa");
        assertThat(named.get("allowedCombinations")).hasSize(3);
        assertThat(named.get("combinationConfigurations@odata.context").asText())
                .endsWith("policies('" + POLICY_NAMED_STRENGTH + "')/grantControls/authenticationStrength/combinationConfigurations");
    }

    @Test
    void aTenantMayServeStrengthsExactlyAsGiven() {
        JsonNode list = get(sim, AS_GIVEN, "/identity/conditionalAccess/policies").json();
        assertThat(policy(list, WholePolicyTenants.POLICY_CUSTOM_STRENGTH).at("/grantControls/authenticationStrength"))
                .isEqualTo(WholePolicyTenants.json("{\"id\":\"" + CUSTOM_STRENGTH + "\"}"));
        assertThat(policy(list, POLICY_NAMED_STRENGTH).at("/grantControls/authenticationStrength")).isEqualTo(WholePolicyTenants.json(
                "{\"id\":\"00000000-0000-0000-0000-000000000004\",\"displayName\":\"Phishing-resistant MFA\"}"));
        GraphServiceClient g = graph(AS_GIVEN);
        var strength = g.identity().conditionalAccess().policies().byConditionalAccessPolicyId(POLICY_NAMED_STRENGTH).get()
                .getGrantControls().getAuthenticationStrength();
        assertThat(strength.getId()).isEqualTo("00000000-0000-0000-0000-000000000004");
        assertThat(strength.getDisplayName()).isEqualTo("Phishing-resistant MFA");
        assertThat(strength.getRequirementsSatisfied()).isNull();
        // the client looks it up where Graph keeps it
        assertThat(g.policies().authenticationStrengthPolicies().byAuthenticationStrengthPolicyId(strength.getId()).get()
                .getRequirementsSatisfied()).isNotEmpty();
        // a PATCH re-normalises without completing it
        Http.Res patch = Http.method("PATCH", sim.graphBaseUrl() + "/identity/conditionalAccess/policies/" + POLICY_NAMED_STRENGTH,
                sim.staticToken(AS_GIVEN), "{\"state\":\"disabled\"}");
        assertThat(patch.status()).isEqualTo(204);
        assertThat(sim.tenant(AS_GIVEN).policy(POLICY_NAMED_STRENGTH).at("/grantControls/authenticationStrength"))
                .hasSize(2);
    }

    @Test
    void invalidConditionShapesAreRefusedWithTheReason() {
        TenantFixture f = WholePolicyTenants.base("5c000000-0000-4000-8000-0000000000ee", "Invalid");
        ObjectNode p = (ObjectNode) f.conditionalAccessPolicies.get(0);
        ((ObjectNode) p.get("conditions")).set("authenticationFlows", WholePolicyTenants.json("{\"transferMethods\":[\"deviceCodeFlow\"]}"));
        assertThatThrownBy(() -> Tenant.fromFixture(f)).hasMessageContaining("transferMethods is a comma-separated string");
        ((ObjectNode) p.get("conditions")).remove("authenticationFlows");
        ((ObjectNode) p.get("conditions")).set("devices", WholePolicyTenants.json("{\"deviceFilter\":\"device.isCompliant -eq True\"}"));
        assertThatThrownBy(() -> Tenant.fromFixture(f)).hasMessageContaining("devices.deviceFilter must be an object");
        ((ObjectNode) p.get("conditions")).remove("devices");
        f.authenticationStrengthPolicies.add(WholePolicyTenants.json("{\"id\":\"00000000-0000-0000-0000-000000000002\"}"));
        assertThatThrownBy(() -> Tenant.fromFixture(f)).hasMessageContaining("built in");
        f.authenticationStrengthPolicies.remove(1);
        f.groupEligibilities.get(0).accessId = "admin";
        assertThatThrownBy(() -> Tenant.fromFixture(f)).hasMessageContaining("accessId must be member or owner");
    }

    // ---- named locations -----------------------------------------------------------------------------------------

    @Test
    void namedLocationsOfBothKindsAreServedAsDocumented() {
        Http.Res r = get(sim, TENANT, "/identity/conditionalAccess/namedLocations");
        JsonNode ex = example("namedLocations.json");
        JsonNode v = r.json().get("value");
        assertThat(v).hasSize(2);
        assertThat(Shapes.exactDifferences(ex.get("value").get(0), v.get(0))).isEmpty();
        assertThat(v.get(0).get("ipRanges")).extracting(n -> n.get("@odata.type").asText())
                .containsExactly("#microsoft.graph.iPv4CidrRange", "#microsoft.graph.iPv6CidrRange");
        assertThat(Shapes.supersetDifferences(ex.get("value").get(1), v.get(1))).isEmpty();
        assertThat(v.get(1).get("countryLookupMethod").asText()).isEqualTo("authenticatorAppGps");
        // no namedLocation enum has members after unknownFutureValue today: the same either way
        assertThat(getWith(TENANT, "/identity/conditionalAccess/namedLocations", "Prefer", PREFER).json().get("value")).isEqualTo(v);

        List<NamedLocation> typed = graph(TENANT).identity().conditionalAccess().namedLocations().get().getValue();
        IpNamedLocation ip = (IpNamedLocation) typed.get(0);
        assertThat(ip.getIsTrusted()).isTrue();
        assertThat(ip.getIpRanges().get(0)).isInstanceOf(IPv4CidrRange.class);
        assertThat(ip.getIpRanges().get(1)).isInstanceOf(IPv6CidrRange.class);
        CountryNamedLocation country = (CountryNamedLocation) typed.get(1);
        assertThat(country.getId()).isEqualTo(COUNTRY_LOCATION);
        assertThat(country.getCountriesAndRegions()).containsExactly("GB", "IE");
        assertThat(country.getIncludeUnknownCountriesAndRegions()).isFalse();
        assertThat(country.getCountryLookupMethod()).isEqualTo(CountryLookupMethodType.AuthenticatorAppGps);
    }
}
