package io.mfagov.scanner.policy;

import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.scanner.policy.PolicyRules.GrantDecision;
import io.mfagov.scanner.policy.PolicyRules.Hole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure Entra semantics of one policy: grant, target, holes. Policies are written as Graph's JSON. */
class PolicyRulesTest {

    private static GrantDecision grant(String grantJson) {
        return PolicyRules.grant(Policies.mfaForAll("p", "{\"grantControls\":" + grantJson + "}"), Map.of());
    }

    private static List<Hole> holes(String patch) {
        CaPolicy p = Policies.mfaForAll("p", patch);
        return PolicyRules.holes(p, PolicyRules.grant(p, Map.of()), null);
    }

    @Test
    void theMfaControlRequiresMfaWithEitherOperator() {
        assertThat(grant("{\"operator\":\"AND\",\"builtInControls\":[\"mfa\",\"compliantDevice\"]}").strict()).isTrue();
        assertThat(grant("{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"]}").requirement())
                .isEqualTo(MfaRequirement.BUILT_IN_MFA);
    }

    @Test
    void withOperatorOrEachNonMfaControlIsAnAlternative() {
        GrantDecision g = grant("{\"operator\":\"OR\",\"builtInControls\":[\"mfa\",\"compliantDevice\",\"domainJoinedDevice\"],"
                + "\"termsOfUse\":[\"tou-1\"]}");
        assertThat(g.requiresMfa()).isTrue();
        assertThat(g.strict()).isFalse();
        assertThat(g.alternatives()).containsExactly("compliantDevice", "domainJoinedDevice", "termsOfUse:tou-1");
    }

    @Test
    void passwordChangeIsNeverAnAlternative() {
        assertThat(grant("{\"operator\":\"OR\",\"builtInControls\":[\"mfa\",\"passwordChange\"]}").alternatives()).isEmpty();
    }

    @Test
    void anAuthenticationStrengthCountsOnlyWhenItsRequirementIsMfa() {
        assertThat(grant("{\"operator\":\"OR\",\"builtInControls\":[],\"authenticationStrength\":"
                + "{\"id\":\"s1\",\"displayName\":\"Custom\",\"requirementsSatisfied\":\"mfa\"}}").requirement())
                .isEqualTo(MfaRequirement.AUTH_STRENGTH);
        assertThat(grant("{\"operator\":\"OR\",\"builtInControls\":[],\"authenticationStrength\":"
                + "{\"id\":\"s2\",\"displayName\":\"Password only\",\"requirementsSatisfied\":\"none\"}}").requiresMfa())
                .isFalse();
    }

    @Test
    void aStrengthWithoutItsRequirementIsLookedUpInTheTenantsStrengths() {
        CaPolicy p = Policies.mfaForAll("p", "{\"grantControls\":{\"builtInControls\":[],"
                + "\"authenticationStrength\":{\"id\":\"CUSTOM-1\"}}}");
        assertThat(PolicyRules.grant(p, Map.of()).problem()).contains("could not be looked up");
        GrantDecision found = PolicyRules.grant(p, Map.of("custom-1", new CaPolicy.Strength("CUSTOM-1", "FIDO2 only", "mfa")));
        assertThat(found.requirement()).isEqualTo(MfaRequirement.AUTH_STRENGTH);
        assertThat(found.strength()).isEqualTo("FIDO2 only");
        CaPolicy builtIn = Policies.mfaForAll("p", "{\"grantControls\":{\"builtInControls\":[],"
                + "\"authenticationStrength\":{\"id\":\"00000000-0000-0000-0000-000000000004\"}}}");
        assertThat(PolicyRules.grant(builtIn, Map.of()).requirement()).as("built-in strengths are known")
                .isEqualTo(MfaRequirement.AUTH_STRENGTH);
    }

    @Test
    void aCustomControlCountsAsSecondFactorAndIsAFinding() {
        CaPolicy p = Policies.mfaForAll("p", "{\"grantControls\":{\"builtInControls\":[],"
                + "\"customAuthenticationFactors\":[\"Duo-MFA\"]}}");
        GrantDecision g = PolicyRules.grant(p, Map.of());
        assertThat(g.requirement()).isEqualTo(MfaRequirement.CUSTOM_CONTROL);
        assertThat(g.customControl()).isEqualTo("Duo-MFA");
        assertThat(PolicyRules.holes(p, g, null)).singleElement().satisfies(h -> {
            assertThat(h.type()).isEqualTo(PrincipalType.CUSTOM_CONTROL);
            assertThat(h.flags()).contains("customControlNotMfa");
        });
    }

    @Test
    void blockAndTermsOfUseOnlyPoliciesAreNotMfaPolicies() {
        assertThat(grant("{\"operator\":\"OR\",\"builtInControls\":[\"block\"]}").requiresMfa()).isFalse();
        assertThat(grant("{\"operator\":\"OR\",\"builtInControls\":[\"block\"]}").block()).isTrue();
        assertThat(grant("{\"operator\":\"OR\",\"builtInControls\":[],\"termsOfUse\":[\"tou\"]}").requiresMfa()).isFalse();
    }

    @Test
    void riskRemediationCountsThroughTheStrengthItIsAndedWith() {
        assertThat(grant("{\"operator\":\"AND\",\"builtInControls\":[\"riskRemediation\"],\"authenticationStrength\":"
                + "{\"id\":\"00000000-0000-0000-0000-000000000002\",\"requirementsSatisfied\":\"mfa\"}}").requirement())
                .isEqualTo(MfaRequirement.AUTH_STRENGTH);
        assertThat(grant("{\"operator\":\"AND\",\"builtInControls\":[\"riskRemediation\"]}").requiresMfa())
                .as("not MFA by itself").isFalse();
    }

    @Test
    void anUnknownControlInAnOrGrantIsAFlaggedAlternative() {
        CaPolicy p = Policies.mfaForAll("p", "{\"grantControls\":{\"operator\":\"OR\","
                + "\"builtInControls\":[\"mfa\",\"quantumBadge\"]}}");
        GrantDecision g = PolicyRules.grant(p, Map.of());
        assertThat(p.unknownValues()).containsExactly("builtInControls=quantumBadge");
        assertThat(PolicyRules.holes(p, g, null)).singleElement().satisfies(h -> {
            assertThat(h.type()).isEqualTo(PrincipalType.GRANT_ALTERNATIVE);
            assertThat(h.flags()).contains("unknownValue:builtInControls=quantumBadge");
        });
    }

    @Test
    void theTargetNamesAllAppsAppsUserActionsOrAnAuthenticationContext() {
        assertThat(PolicyRules.target(Policies.mfaForAll("p", null))).isEqualTo("allApps");
        assertThat(PolicyRules.target(Policies.mfaForAll("p", "{\"conditions\":{\"applications\":"
                + "{\"includeApplications\":[\"Office365\",\"app-1\"]}}}"))).isEqualTo("apps:Office365,app-1");
        assertThat(PolicyRules.target(Policies.mfaForAll("p", "{\"conditions\":{\"applications\":"
                + "{\"includeApplications\":[],\"includeUserActions\":[\"urn:user:registersecurityinfo\"]}}}")))
                .isEqualTo("userAction:urn:user:registersecurityinfo");
        assertThat(PolicyRules.target(Policies.mfaForAll("p", "{\"conditions\":{\"applications\":"
                + "{\"includeApplications\":[],\"includeAuthenticationContextClassReferences\":[\"c1\"]}}}")))
                .isEqualTo("authContext:c1");
    }

    @Test
    void platformsLeftOutOfTheIncludeAndUnknownPlatformsAreHoles() {
        List<Hole> h = holes("{\"conditions\":{\"platforms\":{\"includePlatforms\":[\"windows\",\"macOS\"],"
                + "\"excludePlatforms\":[]}}}");
        assertThat(h).extracting(Hole::id).containsExactly("platform:android", "platform:iOS", "platform:windowsPhone",
                "platform:linux", "platform:unknown");
    }

    @Test
    void anExcludedPlatformIsAHoleEvenWhenAllAreIncluded() {
        List<Hole> h = holes("{\"conditions\":{\"platforms\":{\"includePlatforms\":[\"all\"],\"excludePlatforms\":[\"linux\"]}}}");
        assertThat(h).extracting(Hole::id).containsExactly("platform:linux");
        assertThat(h.get(0).type()).isEqualTo(PrincipalType.PLATFORM);
    }

    @Test
    void clientAppTypesNotTargetedAreHolesAndLegacyOnesAreMarked() {
        List<Hole> h = holes("{\"conditions\":{\"clientAppTypes\":[\"browser\",\"mobileAppsAndDesktopClients\"]}}");
        assertThat(h).extracting(Hole::id).containsExactly("clientAppType:exchangeActiveSync", "clientAppType:other");
        assertThat(h).allSatisfy(x -> assertThat(x.flags()).contains("legacyAuthentication"));
        assertThat(holes("{\"conditions\":{\"clientAppTypes\":[\"all\"]}}")).isEmpty();
    }

    @Test
    void aDeviceFilterOnAUserChangeablePropertyIsFlagged() {
        List<Hole> h = holes("{\"conditions\":{\"devices\":{\"deviceFilter\":{\"mode\":\"exclude\","
                + "\"rule\":\"device.displayName -startsWith \\\"KIOSK\\\"\"}}}}");
        assertThat(h).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo(PrincipalType.DEVICE_FILTER);
            assertThat(x.details()).containsEntry("mode", "exclude");
            assertThat(x.flags()).contains("userChangeableProperty").doesNotContain("unregisteredDevicesOutside");
        });
    }

    @Test
    void anIncludeDeviceFilterLeavesUnregisteredDevicesOutside() {
        List<Hole> h = holes("{\"conditions\":{\"devices\":{\"deviceFilter\":{\"mode\":\"include\","
                + "\"rule\":\"device.trustType -eq \\\"ServerAD\\\"\"}}}}");
        assertThat(h).singleElement().satisfies(x -> assertThat(x.flags()).containsExactly("unregisteredDevicesOutside"));
    }

    @Test
    void riskConditionsLeaveOutTheLevelsTheyDoNotNameIncludingNone() {
        List<Hole> h = holes("{\"conditions\":{\"signInRiskLevels\":[\"high\",\"medium\"]}}");
        assertThat(h).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo(PrincipalType.RISK_CONDITION);
            assertThat(x.id()).isEqualTo("signInRisk:none,low");
        });
    }

    @Test
    void locationsOutsideAnIncludeThatIsNotAllAreAHole() {
        List<Hole> h = holes("{\"conditions\":{\"locations\":{\"includeLocations\":[\"AllTrusted\"],\"excludeLocations\":[]}}}");
        assertThat(h).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo(PrincipalType.LOCATION);
            assertThat(x.displayName()).contains("all trusted locations");
        });
        assertThat(holes("{\"conditions\":{\"locations\":{\"includeLocations\":[\"All\"],\"excludeLocations\":[\"l1\"]}}}"))
                .as("excluded locations are exclusions, not condition holes").isEmpty();
    }

    @Test
    void otherNarrowingConditionsAreHolesWithTheirText() {
        List<Hole> h = holes("{\"conditions\":{\"authenticationFlows\":{\"transferMethods\":\"deviceCodeFlow\"},"
                + "\"insiderRiskLevels\":\"elevated\"}}");
        assertThat(h).extracting(Hole::id).containsExactly("insiderRisk:elevated", "authenticationFlows:deviceCodeFlow");
        assertThat(h).allSatisfy(x -> assertThat(x.type()).isEqualTo(PrincipalType.CONDITION));
    }

    @Test
    void aBlockOfLegacyAuthenticationForAllAppsClosesThoseClientTypes() {
        CaPolicy block = Policies.mfaForAll("b", "{\"conditions\":{\"clientAppTypes\":[\"exchangeActiveSync\",\"other\"]},"
                + "\"grantControls\":{\"builtInControls\":[\"block\"]}}");
        assertThat(PolicyRules.legacyClientsBlocked(block, PolicyRules.grant(block, Map.of())))
                .containsExactly("exchangeActiveSync", "other");
        CaPolicy reportOnly = Policies.mfaForAll("b", "enabledForReportingButNotEnforced",
                "{\"conditions\":{\"clientAppTypes\":[\"other\"]},\"grantControls\":{\"builtInControls\":[\"block\"]}}");
        assertThat(PolicyRules.legacyClientsBlocked(reportOnly, PolicyRules.grant(reportOnly, Map.of())))
                .as("report-only enforces nothing").isEmpty();
    }

    @Test
    void unknownValuesAreKeptAsTextNotDropped() {
        CaPolicy p = Policies.mfaForAll("p", "{\"conditions\":{\"platforms\":{\"includePlatforms\":[\"all\"],"
                + "\"excludePlatforms\":[\"visionOS\"]},\"clientAppTypes\":[\"all\",\"holoClient\"]}}");
        assertThat(p.unknownValues()).containsExactly("clientAppTypes=holoClient", "excludePlatforms=visionOS");
        assertThat(PolicyRules.holes(p, PolicyRules.grant(p, Map.of()), null)).singleElement().satisfies(h -> {
            assertThat(h.id()).isEqualTo("platform:visionOS");
            assertThat(h.flags()).contains("unknownValue:excludePlatforms=visionOS");
        });
    }
}
