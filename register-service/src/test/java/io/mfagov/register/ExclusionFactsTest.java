package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ClosingPolicy;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.Severity;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The whole-policy facts of a detection (scope, target, PIM, shadowing, closing policy, details, flags): stored, shown
 * in the API and the CSV, and what they change about the UNAPPROVED_EXCLUSION alert. Real broker, real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class ExclusionFactsTest {

    private static final String POLICY = "13131313-2222-3333-4444-555555555555";
    private static final ClosingPolicy BLOCK = new ClosingPolicy("pol-block", "Block legacy authentication");

    @Test
    void theWholePolicyFactsOfADetectionAreInTheJsonAndAtTheEndOfTheCsv() {
        String tenant = newTenant();
        createTenant(tenant);
        String userId = UUID.randomUUID().toString();
        send(withFacts(user(UUID.randomUUID(), tenant, POLICY, userId, Instant.now()), true,
                "userAction:urn:user:registersecurityinfo", true, false, BLOCK,
                Map.of("clientAppTypes", "exchangeActiveSync"), List.of("=HYPERLINK(\"x\")", "legacyMfaTrustedIps")));

        JsonPath exclusion = ReconciliationTest.awaitExclusions(tenant, 1).setRootPath("items[0]");
        assertThat(exclusion.getBoolean("inScope")).isTrue();
        assertThat(exclusion.getString("policyTarget")).isEqualTo("userAction:urn:user:registersecurityinfo");
        assertThat(exclusion.getBoolean("eligible")).isTrue();
        assertThat(exclusion.getBoolean("shadowed")).isFalse();
        assertThat(exclusion.getString("closedBy.id")).isEqualTo("pol-block");
        assertThat(exclusion.getString("closedBy.displayName")).isEqualTo("Block legacy authentication");
        assertThat(exclusion.getMap("details")).containsExactly(Map.entry("clientAppTypes", "exchangeActiveSync"));
        assertThat(exclusion.getList("flags")).containsExactly("=HYPERLINK(\"x\")", "legacyMfaTrustedIps");
        assertThat(exclusion.getString("mfaRequirement")).isEqualTo("BUILT_IN_MFA");
        reader().get("/api/v1/exclusions/" + exclusion.getString("id")).then().statusCode(200)
                .body("closedBy.id", is("pol-block")).body("inScope", is(true));

        String csv = reader().get("/api/v1/reports/exclusions.csv?tenantId=" + tenant).then().statusCode(200)
                .extract().asString();
        String[] lines = csv.substring(1).split("\r\n");
        assertThat(lines[0]).endsWith(",FirstSeen,LastSeen,InScope,PolicyTarget,Eligible,Shadowed,ClosedBy,Details,Flags,"
                + "LastSignIn,SignIns,SingleFactorSignIns,RiskScore");
        assertThat(lines[1]).startsWith(tenant + ",").endsWith(",true,userAction:urn:user:registersecurityinfo,true,false,"
                + "Block legacy authentication (pol-block),clientAppTypes=exchangeActiveSync,"
                + "\"'=HYPERLINK(\"\"x\"\"); legacyMfaTrustedIps\",,,,0"); // closed by a policy: opens nothing, risk 0
    }

    @Test
    void anExclusionDetectedWithoutTheNewFactsShowsThemUnknownAndEmpty() {
        String tenant = newTenant();
        send(user(UUID.randomUUID(), tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));

        JsonPath exclusion = ReconciliationTest.awaitExclusions(tenant, 1).setRootPath("items[0]");
        assertThat(exclusion.getString("inScope")).isNull();
        assertThat(exclusion.getString("closedBy")).isNull();
        assertThat(exclusion.getMap("details")).isEmpty();
        assertThat(exclusion.getList("flags")).isEmpty();
        assertThat(alertsSoFar(tenant)).extracting(AlertRaised::kind).containsExactly(AlertKind.UNAPPROVED_EXCLUSION);
    }

    @Test
    void anExclusionOutOfThePolicysScopeIsListedButRaisesNoAlert() {
        String tenant = newTenant();
        send(withFacts(user(UUID.randomUUID(), tenant, POLICY, UUID.randomUUID().toString(), Instant.now()), false,
                "allApps", false, false, null, null, null));

        JsonPath exclusion = ReconciliationTest.awaitExclusions(tenant, 1).setRootPath("items[0]");
        assertThat(exclusion.getString("status")).isEqualTo("UNAPPROVED");
        assertThat(exclusion.getBoolean("inScope")).isFalse();
        assertThat(alertsSoFar(tenant)).isEmpty();
    }

    @Test
    void aHoleClosedByAnotherPolicyRaisesNoAlertUntilALaterScanFindsItOpen() {
        String tenant = newTenant();
        Instant t1 = Instant.now().minusSeconds(60);
        send(withFacts(hole(UUID.randomUUID(), tenant, POLICY, PrincipalType.CLIENT_APP_TYPE,
                "clientAppType:exchangeActiveSync", "Exchange ActiveSync clients", t1), null, "allApps", null, null, BLOCK,
                null, null));
        JsonPath exclusion = ReconciliationTest.awaitExclusions(tenant, 1).setRootPath("items[0]");
        assertThat(exclusion.getString("closedBy.id")).isEqualTo("pol-block");
        assertThat(exclusion.getString("status")).isEqualTo("UNAPPROVED");
        assertThat(alertsSoFar(tenant)).isEmpty();

        // The block was disabled: the next scan sees the same hole, open. A scan completes first (resets the failure
        // streak, so that the next marker alerts).
        UUID scan2 = UUID.randomUUID();
        send(completed(UUID.randomUUID(), tenant, io.mfagov.model.events.ScanStatus.PARTIAL, 0, Instant.now()));
        send(hole(scan2, tenant, POLICY, PrincipalType.CLIENT_APP_TYPE, "clientAppType:exchangeActiveSync",
                "Exchange ActiveSync clients", Instant.now()));
        send(hole(scan2, tenant, POLICY, PrincipalType.CLIENT_APP_TYPE, "clientAppType:exchangeActiveSync",
                "Exchange ActiveSync clients", Instant.now()));

        List<AlertRaised> alerts = alertsSoFar(tenant);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION);
            assertThat(a.exclusionId()).isEqualTo(exclusion.getString("id"));
            assertThat(a.subject()).contains("leaves out client app type Exchange ActiveSync clients");
        });
        assertThat(ReconciliationTest.exclusions(tenant, "").getString("items[0].closedBy")).isNull();
    }

    @Test
    void aShadowedExclusionIsAlertedOneSeverityLower() {
        String tenant = newTenant();
        String shadowed = UUID.randomUUID().toString();
        String open = UUID.randomUUID().toString();
        UUID scan = UUID.randomUUID();
        send(withFacts(user(scan, tenant, POLICY, shadowed, Instant.now()), true, "allApps", false, true, null, null, null));
        send(withFacts(user(scan, tenant, POLICY, open, Instant.now()), true, "allApps", false, false, null, null, null));
        ReconciliationTest.awaitExclusions(tenant, 2);

        List<AlertRaised> alerts = alertsSoFar(tenant);
        assertThat(alerts).hasSize(2).allSatisfy(a -> assertThat(a.kind()).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION));
        assertThat(alerts).filteredOn(a -> a.facts().get("Principal").contains(shadowed.substring(0, 6)))
                .singleElement().satisfies(a -> {
                    assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
                    assertThat(a.facts()).containsKey("Shadowed");
                });
        assertThat(alerts).filteredOn(a -> a.facts().get("Principal").contains(open.substring(0, 6)))
                .singleElement().satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.HIGH));
    }

    @Test
    void aHoleOfThePolicyItselfIsGovernedLikeAnyExclusionAndCanBeApprovedAsAnException() {
        String tenant = newTenant();
        createTenant(tenant);
        send(withFacts(hole(UUID.randomUUID(), tenant, POLICY, PrincipalType.PLATFORM, "platform:linux", "Linux",
                Instant.now()), null, "allApps", null, null, null, Map.of("platforms", "linux"), List.of()));
        JsonPath hole = ReconciliationTest.awaitExclusions(tenant, 1).setRootPath("items[0]");
        assertThat(hole.getString("viaKind")).isEqualTo("CONDITION");
        assertThat(hole.getString("principalType")).isEqualTo("PLATFORM");
        assertThat(hole.getString("status")).isEqualTo("UNAPPROVED");
        assertThat(alertsSoFar(tenant)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION);
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.subject()).isEqualTo("MFA policy 'Require MFA for all users' leaves out platform Linux without"
                    + " an approved exception");
            assertThat(a.facts()).containsEntry("Details", "platforms=linux");
        });

        String exceptionId = requester().body(Map.of("tenantId", tenant, "policyId", POLICY, "category", "OTHER",
                        "justification", "Linux build agents sign in with certificates",
                        "expiresAt", inDays(20), "principals", List.of(Map.of("id", "platform:linux", "type", "PLATFORM"))))
                .post("/api/v1/exceptions").then().statusCode(201).extract().path("id");
        assertThat(ReconciliationTest.exclusions(tenant, "").getString("items[0].status")).isEqualTo("PENDING");
        approver().body("{}").post("/api/v1/exceptions/" + exceptionId + "/approve").then().statusCode(200);
        assertThat(ReconciliationTest.exclusions(tenant, "").getString("items[0].status")).isEqualTo("APPROVED");
        assertThat(ReconciliationTest.exclusions(tenant, "").getString("items[0].exceptionId")).isEqualTo(exceptionId);
    }

    @Test
    void anExceptionForAHoleStillNeedsAGuidForUsersAndGroups() {
        String tenant = newTenant();
        createTenant(tenant);
        requester().body(Map.of("tenantId", tenant, "category", "OTHER", "justification", "x", "expiresAt", inDays(5),
                        "principals", List.of(Map.of("id", "platform:linux", "type", "USER"))))
                .post("/api/v1/exceptions").then().statusCode(400).contentType("application/problem+json")
                .body("field", is("principals[0].id"));
    }

    @Test
    void anExceptionCanNameAnApplicationOrLocationByTheLiteralEntraUses() {
        String tenant = newTenant();
        createTenant(tenant);
        requester().body(Map.of("tenantId", tenant, "category", "OTHER", "justification", "Office 365 carve-out",
                        "expiresAt", inDays(5), "principals", List.of(Map.of("id", "Office365", "type", "APPLICATION"),
                                Map.of("id", "locations:notIncluded", "type", "LOCATION"))))
                .post("/api/v1/exceptions").then().statusCode(201);
        requester().body(Map.of("tenantId", tenant, "category", "OTHER", "justification", "x", "expiresAt", inDays(5),
                        "principals", List.of(Map.of("id", "Office365", "type", "DIRECTORY_OBJECT"))))
                .post("/api/v1/exceptions").then().statusCode(400).body("field", is("principals[0].id"));
    }
}
