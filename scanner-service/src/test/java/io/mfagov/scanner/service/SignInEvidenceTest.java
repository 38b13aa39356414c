package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SignInEvidenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "a1a1a1a1-0000-0000-0000-000000000001";
    private static final String BOB = "b2b2b2b2-0000-0000-0000-000000000002";
    private static final String SP = "c3c3c3c3-0000-0000-0000-000000000003";
    private static final String APP = "d4d4d4d4-0000-0000-0000-000000000004";

    private static JsonNode beta(String user, String at, String requirement, int errorCode, String app, String client) {
        return node("""
                {"createdDateTime":"%s","userId":"%s","userPrincipalName":"u@contoso.com","appDisplayName":"%s",
                 "appId":"%s","clientAppUsed":"%s","ipAddress":"203.0.113.7","location":{"city":"Oslo","countryOrRegion":"NO"},
                 "authenticationRequirement":"%s","status":{"errorCode":%d},"isInteractive":true}
                """.formatted(at, user, app, APP, client, requirement, errorCode));
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void failedSignInsCountNowhere() {
        SignInEvidence e = new SignInEvidence(Set.of(ALICE), Set.of(), Set.of(), false);
        e.add(beta(ALICE, "2026-12-01T10:00:00Z", "singleFactorAuthentication", 50126, "Office", "Browser"));

        assertThat(e.read()).isZero();
        assertThat(e.singleFactorUsers()).isEmpty();
        assertThat(e.usage("USER:" + ALICE)).isNull();
    }

    @Test
    void singleFactorSignInsAreAggregatedPerUserWithFirstLastAndTheBusiestPairs() {
        SignInEvidence e = new SignInEvidence(Set.of(), Set.of(), Set.of(), false);
        e.add(beta(BOB, "2026-12-01T10:00:00Z", "singleFactorAuthentication", 0, "Outlook", "Exchange ActiveSync"));
        e.add(beta(BOB, "2026-12-03T10:00:00Z", "singleFactorAuthentication", 0, "Outlook", "Exchange ActiveSync"));
        e.add(beta(BOB, "2026-11-20T08:00:00Z", "singleFactorAuthentication", 0, "Office Home", "Browser"));
        e.add(beta(BOB, "2026-12-04T10:00:00Z", "multiFactorAuthentication", 0, "Teams", "Browser"));

        assertThat(e.read()).isEqualTo(4);
        assertThat(e.singleFactorRead()).isEqualTo(3);
        SignInEvidence.SingleFactor bob = e.singleFactorUsers().get(0);
        assertThat(bob.count).isEqualTo(3);
        assertThat(bob.first).isEqualTo(Instant.parse("2026-11-20T08:00:00Z"));
        assertThat(bob.last).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
        assertThat(bob.apps).containsExactlyInAnyOrder("Outlook", "Office Home");
        assertThat(bob.clientApps).containsExactlyInAnyOrder("Exchange ActiveSync", "Browser");
        assertThat(bob.locations).containsExactly("Oslo, NO");
        assertThat(bob.detail(30)).startsWith("3 successful single-factor sign-ins in 30 days: Exchange ActiveSync → Outlook ×2; Browser → Office Home ×1");
    }

    @Test
    void trackedPrincipalsGetTheirUseAndUntrackedOnesDoNot() {
        SignInEvidence e = new SignInEvidence(Set.of(ALICE), Set.of(SP), Set.of(APP), false);
        e.add(beta(ALICE, "2026-12-01T10:00:00Z", "multiFactorAuthentication", 0, "Portal", "Browser"));
        e.add(beta(ALICE, "2026-12-02T10:00:00Z", "singleFactorAuthentication", 0, "Portal", "Browser"));
        e.add(beta(BOB, "2026-12-02T11:00:00Z", "multiFactorAuthentication", 0, "Portal", "Browser"));
        e.add(node("""
                {"createdDateTime":"2026-12-03T00:00:00Z","userId":"","servicePrincipalId":"%s","appId":"e5e5e5e5-0000-0000-0000-000000000005",
                 "status":{"errorCode":0}}""".formatted(SP.toUpperCase())));

        SignInEvidence.Usage alice = e.usage("USER:" + ALICE);
        assertThat(alice.signIns).isEqualTo(2);
        assertThat(alice.singleFactor).isEqualTo(1);
        assertThat(alice.last).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(alice.lastSingleFactor).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(e.usage("USER:" + BOB)).as("not excluded: not tracked").isNull();
        assertThat(e.usage("SERVICE_PRINCIPAL:" + SP).signIns).isEqualTo(1);
        assertThat(e.usage("APPLICATION:" + APP).signIns).as("the excluded app, used by Alice and Bob").isEqualTo(3);
    }

    @Test
    void v1SignInsAreSingleFactorOnlyWhenNoAppliedPolicyEnforcedMfa() {
        JsonNode mfa = node("""
                {"appliedConditionalAccessPolicies":[{"result":"success","enforcedGrantControls":["Mfa"]}]}""");
        JsonNode strength = node("""
                {"appliedConditionalAccessPolicies":[{"result":"success","enforcedGrantControls":["RequireAuthenticationStrength"]}]}""");
        JsonNode reportOnly = node("""
                {"appliedConditionalAccessPolicies":[{"result":"reportOnlySuccess","enforcedGrantControls":["Mfa"]}]}""");
        JsonNode notApplied = node("""
                {"conditionalAccessStatus":"notApplied","appliedConditionalAccessPolicies":[]}""");
        JsonNode hidden = node("""
                {"conditionalAccessStatus":"success"}""");

        assertThat(SignInEvidence.singleFactor(mfa, false)).isFalse();
        assertThat(SignInEvidence.singleFactor(strength, false)).isFalse();
        assertThat(SignInEvidence.singleFactor(reportOnly, false)).as("report-only enforces nothing").isTrue();
        assertThat(SignInEvidence.singleFactor(notApplied, false)).isTrue();
        assertThat(SignInEvidence.singleFactor(notApplied, true)).as("security defaults may have required MFA").isNull();
        assertThat(SignInEvidence.singleFactor(hidden, false)).as("applied policies not shown: unknown").isNull();
    }
}
