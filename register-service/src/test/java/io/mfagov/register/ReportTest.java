package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.Via;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** The CSV export (the guide's columns, TenantName, Excel-safe), paging, and the QBR summary. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class ReportTest {

    private static final String POLICY = "77777777-2222-3333-4444-555555555555";

    @Test
    void theCsvHasTheGuidesColumnsThenTheRegisters() {
        String tenant = newTenant();
        createTenant(tenant);
        String userId = UUID.randomUUID().toString();
        send(user(UUID.randomUUID(), tenant, POLICY, userId, Instant.now()));
        ReconciliationTest.awaitExclusions(tenant, 1);
        String id = requester().body(Map.of("tenantId", tenant, "policyId", POLICY, "category", "OTHER",
                        "justification", "=cmd|' /C calc'!A0, with a comma", "expiresAt", inDays(20),
                        "principals", List.of(Map.of("id", userId, "type", "USER"))))
                .post("/api/v1/exceptions").then().statusCode(201).extract().path("id");
        approver().body(Map.of("notes", "=HYPERLINK(\"x\"), reviewed")).post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200);

        String csv = reader().get("/api/v1/reports/exclusions.csv?tenantId=" + tenant).then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(csv).startsWith("\uFEFF");
        String[] lines = csv.substring(1).split("\r\n");
        assertThat(lines[0]).isEqualTo("TenantId,TenantName,PolicyName,PolicyId,ExcludedUserId,ExcludedUPN,"
                + "ExcludedDisplayName,Status,Category,ApprovedBy,ExpiresAt,NextReviewAt,ReviewerNotes,FirstSeen,LastSeen,"
                + "InScope,PolicyTarget,Eligible,Shadowed,ClosedBy,Details,Flags,LastSignIn,SignIns,SingleFactorSignIns,RiskScore");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith(tenant + ",Contoso " + tenant.substring(0, 8) + ",Require MFA for all users,"
                + POLICY + "," + userId + ",")
                .contains(",APPROVED,OTHER," + APPROVER + ",")
                .contains("\"'=HYPERLINK(\"\"x\"\"), reviewed\"");
    }

    @Test
    void theCsvExportOpensInExcelWithAccentsIntactNamesTheTenantAndNeutralisesFormulas() {
        String tenant = newTenant();
        admin().body(Map.of("tenantId", tenant, "displayName", "Zoë Müller Zahnarztpraxis")).post("/api/v1/tenants")
                .then().statusCode(201);
        UUID scan = UUID.randomUUID();
        List<String> names = List.of("=HYPERLINK(\"http://evil.example\",\"open\")", "+1+cmd", "-2+3", "@SUM(A1)",
                "\t=1+1", "\r=1+1", "Zoë Müller");
        for (String name : names) {
            String id = UUID.randomUUID().toString();
            send(new ExclusionDetected(scan, tenant,
                    new PolicyRef(POLICY, "Require MFA for all users", PolicyState.ENABLED, MfaRequirement.BUILT_IN_MFA, null),
                    new Principal(id, PrincipalType.USER, "u-" + id.substring(0, 6) + "@contoso.example", name, "Member",
                            true, true, null),
                    Via.direct(id), Instant.now()));
        }
        ReconciliationTest.awaitExclusions(tenant, names.size());

        byte[] body = reader().get("/api/v1/reports/exclusions.csv?tenantId=" + tenant).then().statusCode(200)
                .contentType("text/csv").header("Content-Disposition", org.hamcrest.Matchers.containsString(".csv"))
                .extract().asByteArray();

        assertThat(body).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String csv = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
        assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",")
                .contains(",\"'+1+cmd\",").contains(",\"'-2+3\",").contains(",\"'@SUM(A1)\",")
                .contains(",\"'\t=1+1\",").contains(",\"'\r=1+1\",").contains(",Zoë Müller,");
        List<String> rows = List.of(csv.split("\r\n(?=" + tenant + ",|$)"));
        assertThat(rows.get(0)).startsWith("TenantId,TenantName,");
        assertThat(rows.subList(1, rows.size())).hasSize(names.size())
                .allSatisfy(r -> assertThat(r).startsWith(tenant + ",Zoë Müller Zahnarztpraxis,"));
    }

    @Test
    void aBadFilterOfTheCsvExportIsAProblemNamingTheFieldBeforeAnyRowIsSent() {
        reader().get("/api/v1/reports/exclusions.csv?tenantId=not-a-guid").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("tenantId"));
        reader().get("/api/v1/reports/exclusions.csv?status=NOPE").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("status"));
    }

    @Test
    void exclusionsArePagedWithACursorInTheRequestedOrder() {
        String tenant = newTenant();
        UUID scan = UUID.randomUUID();
        Instant base = Instant.now().minusSeconds(100);
        for (int i = 0; i < 5; i++) {
            send(user(scan, tenant, POLICY, UUID.randomUUID().toString(), base.plusSeconds(i)));
        }
        ReconciliationTest.awaitExclusions(tenant, 5);
        var page1 = reader().get("/api/v1/exclusions?tenantId=" + tenant + "&limit=2&sort=-firstSeen").then()
                .statusCode(200).extract().jsonPath();
        var page2 = reader().get("/api/v1/exclusions?tenantId=" + tenant + "&limit=2&sort=-firstSeen&cursor="
                + page1.getString("nextCursor")).then().statusCode(200).extract().jsonPath();
        var page3 = reader().get("/api/v1/exclusions?tenantId=" + tenant + "&limit=2&sort=-firstSeen&cursor="
                + page2.getString("nextCursor")).then().statusCode(200).extract().jsonPath();
        List<String> seen = new java.util.ArrayList<>();
        seen.addAll(page1.getList("items.firstSeenAt"));
        seen.addAll(page2.getList("items.firstSeenAt"));
        seen.addAll(page3.getList("items.firstSeenAt"));
        assertThat(seen).hasSize(5).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(page3.getString("nextCursor")).isNull();
        reader().get("/api/v1/exclusions?tenantId=" + tenant + "&status=UNAPPROVED&policyId=" + POLICY).then()
                .body("items.size()", is(5));
        reader().get("/api/v1/exclusions?tenantId=" + tenant + "&status=APPROVED").then().body("items.size()", is(0));
    }

    @Test
    void theQbrSummaryCountsStatusesChangesAndTopRisks() {
        String tenant = newTenant();
        createTenant(tenant);
        UUID scan = UUID.randomUUID();
        send(user(scan, tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 1, Instant.now().minusSeconds(5)));
        ReconciliationTest.awaitExclusions(tenant, 1);
        org.awaitility.Awaitility.await().until(() -> reader().get("/api/v1/reports/tenants/" + tenant + "/summary")
                .then().statusCode(200).extract().jsonPath().getMap("changes").containsKey("SCAN_COMPLETED"));
        reader().get("/api/v1/reports/tenants/" + tenant + "/summary").then().statusCode(200)
                .body("exclusionsByStatus.UNAPPROVED", is(1))
                .body("changes.EXCLUSION_DETECTED", is(1))
                .body("topRisks.size()", is(1))
                .body("topRisks[0].reason", org.hamcrest.Matchers.containsString("no approved exception"));
    }
}
