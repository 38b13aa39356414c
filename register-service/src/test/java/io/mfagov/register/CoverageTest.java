package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.Severity;
import io.mfagov.model.events.UncoveredReason;
import io.mfagov.model.events.UncoveredUser;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * A scan's coverage (CoverageObserved) in: stored per scan, served per tenant, listed, exported as CSV; alerts
 * (NO_MFA_ENFORCEMENT, UNCOVERED_PRIVILEGED_USER) out on mfagov.alerts when a COMPLETE scan differs from the previous
 * COMPLETE one. Real broker, real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class CoverageTest {

    private static final Instant T0 = Instant.now().minus(2, ChronoUnit.HOURS);

    @Test
    void aTenantsCoverageIsServedWithItsScansStatusGraphRequestsNotesAndUncoveredUsersPrivilegedFirst() {
        String tenant = newTenant();
        createTenant(tenant);
        UUID scan = UUID.randomUUID();
        String admin = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        send(coverage(scan, tenant, T0, false, List.of(
                uncovered(bob, "bob@contoso.example", UncoveredReason.IN_NO_INCLUDE, false),
                uncovered(admin, "adm@contoso.example", UncoveredReason.ONLY_REPORT_ONLY, true))));
        send(new ScanCompleted(scan, null, tenant, ScanStatus.COMPLETE, T0.minusSeconds(30), T0.plusSeconds(1), 0, 17,
                null, List.of(), 3, false, List.of("PIM eligibility not read: no Entra ID P2 licence")));

        JsonPath coverage = awaitCoverage(tenant, c -> "COMPLETE".equals(c.getString("scanStatus")));
        assertThat(coverage.getString("tenantId")).isEqualTo(tenant);
        assertThat(coverage.getString("tenantName")).isEqualTo("Contoso " + tenant.substring(0, 8));
        assertThat(coverage.getString("scanId")).isEqualTo(scan.toString());
        assertThat(coverage.getInt("graphRequestCount")).isEqualTo(17);
        assertThat(coverage.getList("scanNotes")).containsExactly("PIM eligibility not read: no Entra ID P2 licence");
        assertThat(coverage.getBoolean("securityDefaultsEnabled")).isFalse();
        assertThat(coverage.getInt("enabledMfaPolicies")).isEqualTo(2);
        assertThat(coverage.getInt("reportOnlyMfaPolicies")).isEqualTo(1);
        assertThat(coverage.getBoolean("allUsersCovered")).isFalse();
        assertThat(coverage.getInt("enabledUsers")).isEqualTo(40);
        assertThat(coverage.getInt("uncoveredUserCount")).isEqualTo(2);
        assertThat(coverage.getBoolean("truncated")).isFalse();
        assertThat(coverage.getList("findings")).isEmpty();
        assertThat(coverage.getList("uncoveredUsers.id")).containsExactly(admin, bob);
        assertThat(coverage.getString("uncoveredUsers[0].reason")).isEqualTo("ONLY_REPORT_ONLY");
        assertThat(coverage.getBoolean("uncoveredUsers[0].privileged")).isTrue();
        assertThat(coverage.getString("uncoveredUsers[0].userPrincipalName")).isEqualTo("adm@contoso.example");
    }

    @Test
    void aScansCoverageIsShownRunningUntilItsScanCompletes() {
        String tenant = newTenant();
        UUID scan = UUID.randomUUID();
        send(coverage(scan, tenant, T0, true, List.of()));

        JsonPath coverage = awaitCoverage(tenant, c -> true);
        assertThat(coverage.getString("scanStatus")).isEqualTo("RUNNING");
        assertThat(coverage.getString("graphRequestCount")).isNull();
        assertThat(coverage.getList("findings")).containsExactly("NO_MFA_ENFORCEMENT");
        assertThat(coverage.getString("tenantName")).isNull();
    }

    @Test
    void theLatestCoverageIsTheLatestObservedEvenWhenAnOlderScanArrivesLast() {
        String tenant = newTenant();
        UUID newer = UUID.randomUUID();
        UUID older = UUID.randomUUID();
        send(coverage(newer, tenant, T0.plusSeconds(600), false, List.of()));
        send(coverage(older, tenant, T0, true, List.of()));
        UUID marker = UUID.randomUUID();
        send(completed(marker, tenant, ScanStatus.PARTIAL, 0, Instant.now())); // after both: once it is in, both are
        await().atMost(Duration.ofSeconds(30)).until(() -> reader().get("/api/v1/tenants/" + tenant).statusCode() == 200);

        reader().get("/api/v1/tenants/" + tenant + "/coverage").then().statusCode(200)
                .body("scanId", is(newer.toString())).body("findings.size()", is(0));
    }

    @Test
    void aTenantWithoutCoverageIsANotFoundProblemAndABadTenantIdABadRequestNamingIt() {
        reader().get("/api/v1/tenants/" + newTenant() + "/coverage").then().statusCode(404)
                .contentType("application/problem+json").body("status", is(404));
        reader().get("/api/v1/tenants/not-a-guid/coverage").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("tenantId"));
    }

    @Test
    void theCoverageOfEveryTenantIsListedFilteredAndPagedByTenantId() {
        String none = newTenant();
        String gaps = newTenant();
        String covered = newTenant();
        send(coverage(UUID.randomUUID(), none, T0, true,
                List.of(uncovered(UUID.randomUUID().toString(), "a@x.example", UncoveredReason.IN_NO_INCLUDE, false))));
        send(coverage(UUID.randomUUID(), gaps, T0, false,
                List.of(uncovered(UUID.randomUUID().toString(), "b@x.example", UncoveredReason.EXCLUDED_EVERYWHERE, true))));
        send(coverage(UUID.randomUUID(), covered, T0, false, List.of()));
        List.of(none, gaps, covered).forEach(t -> awaitCoverage(t, c -> true));

        assertThat(listAll("")).containsKeys(none, gaps, covered);
        Map<String, Map<String, Object>> notCovered = listAll("&allUsersCovered=false");
        assertThat(notCovered).containsKeys(none, gaps).doesNotContainKey(covered);
        assertThat(notCovered.values()).allSatisfy(c -> assertThat(c.get("allUsersCovered")).isEqualTo(false));
        Map<String, Map<String, Object>> noMfa = listAll("&finding=NO_MFA_ENFORCEMENT");
        assertThat(noMfa).containsKey(none).doesNotContainKeys(gaps, covered);
        assertThat(noMfa.get(none)).containsEntry("uncoveredUsers", null).containsEntry("uncoveredUserCount", 1);
        assertThat(listAll("&allUsersCovered=true")).containsKey(covered).doesNotContainKeys(none, gaps);

        reader().get("/api/v1/coverage?finding=NOPE").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("finding"));
        reader().get("/api/v1/coverage?allUsersCovered=maybe").then().statusCode(400).body("field", is("allUsersCovered"));
        reader().get("/api/v1/coverage?cursor=bm9wZQ").then().statusCode(400).body("field", is("cursor"));
        reader().get("/api/v1/coverage?limit=0").then().statusCode(400).body("field", is("limit"));
    }

    @Test
    void theCoverageCsvHasTheScannersColumnsABomAndNeutralisesFormulas() {
        String tenant = newTenant();
        admin().body(Map.of("tenantId", tenant, "displayName", "=HYPERLINK(\"http://evil.example\",\"Zoë\")"))
                .post("/api/v1/tenants").then().statusCode(201);
        UUID scan = UUID.randomUUID();
        send(coverage(scan, tenant, T0, true,
                List.of(uncovered(UUID.randomUUID().toString(), "a@x.example", UncoveredReason.IN_NO_INCLUDE, true))));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 0, T0.minusSeconds(30)));
        awaitCoverage(tenant, c -> "COMPLETE".equals(c.getString("scanStatus")));

        byte[] body = reader().get("/api/v1/coverage.csv?finding=NO_MFA_ENFORCEMENT").then().statusCode(200)
                .contentType("text/csv").header("Content-Disposition", org.hamcrest.Matchers.containsString(".csv"))
                .extract().asByteArray();

        assertThat(body).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String[] lines = new String(body, 3, body.length - 3, StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines[0]).isEqualTo("TenantId,TenantName,ScanStatus,SecurityDefaultsEnabled,EnabledMfaPolicies,"
                + "ReportOnlyMfaPolicies,AllUsersCovered,UncoveredUsers,GraphRequests");
        assertThat(lines).contains(tenant + ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Zoë\"\")\",COMPLETE,false,0,1,"
                + "false,1,10");
        reader().get("/api/v1/coverage.csv?allUsersCovered=perhaps").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("allUsersCovered"));
    }

    @Test
    void theUncoveredUsersCsvListsEachTenantsLatestUsersWithABomAndNeutralisedFormulas() {
        String tenant = newTenant();
        createTenant(tenant);
        String admin = UUID.randomUUID().toString();
        String evil = UUID.randomUUID().toString();
        send(coverage(UUID.randomUUID(), tenant, T0, false,
                List.of(uncovered(UUID.randomUUID().toString(), "old@x.example", UncoveredReason.IN_NO_INCLUDE, false))));
        send(coverage(UUID.randomUUID(), tenant, T0.plusSeconds(60), false, List.of(
                new UncoveredUser(evil, "evil@x.example", "=cmd|' /C calc'!A0", "Guest", UncoveredReason.IN_NO_INCLUDE, null),
                uncovered(admin, "adm@x.example", UncoveredReason.EXCLUDED_EVERYWHERE, true))));
        awaitCoverage(tenant, c -> c.getList("uncoveredUsers").size() == 2);

        byte[] body = reader().get("/api/v1/uncovered-users.csv?tenantId=" + tenant).then().statusCode(200)
                .contentType("text/csv").extract().asByteArray();

        assertThat(body).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String[] lines = new String(body, 3, body.length - 3, StandardCharsets.UTF_8).split("\r\n");
        String name = "Contoso " + tenant.substring(0, 8);
        assertThat(lines).containsExactly("TenantId,TenantName,UserId,UPN,DisplayName,Reason,Privileged",
                tenant + "," + name + "," + admin + ",adm@x.example,User adm@x.example,EXCLUDED_EVERYWHERE,true",
                tenant + "," + name + "," + evil + ",evil@x.example,\"'=cmd|' /C calc'!A0\",IN_NO_INCLUDE,");
        String all = reader().get("/api/v1/uncovered-users.csv").then().statusCode(200).extract().asString();
        assertThat(all).contains(admin).doesNotContain("old@x.example");
        reader().get("/api/v1/uncovered-users.csv?tenantId=nope").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("tenantId"));
    }

    @Test
    void noMfaEnforcementIsRaisedOnceAndAgainOnlyAfterItClearedAndCameBack() {
        String tenant = newTenant();
        createTenant(tenant);
        UUID scan1 = scan(tenant, ScanStatus.COMPLETE, T0, true, List.of());
        List<EventEnvelope<?>> scan1Again = List.of(
                EventEnvelope.wrap(coverage(scan1, tenant, T0, true, List.of()), Instant.now()),
                EventEnvelope.wrap(completed(scan1, tenant, ScanStatus.COMPLETE, 0, T0.minusSeconds(30)), Instant.now()));
        scan(tenant, ScanStatus.COMPLETE, T0.plusSeconds(60), true, List.of()); // an identical second scan
        scan1Again.forEach(RegisterTestSupport::send); // scan 1 replayed (new event ids), then redelivered
        scan1Again.forEach(RegisterTestSupport::send);

        List<AlertRaised> first = alertsSoFar(tenant);
        assertThat(first).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.NO_MFA_ENFORCEMENT);
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.alertId()).isEqualTo("NO_MFA_ENFORCEMENT:" + tenant + ":" + scan1);
            assertThat(a.subject()).startsWith("Contoso " + tenant.substring(0, 8) + " enforces no MFA");
            assertThat(a.facts()).containsEntry("Tenant", tenant).containsEntry("Security defaults", "off")
                    .containsEntry("Enabled MFA policies", "0");
        });

        scan(tenant, ScanStatus.COMPLETE, T0.plusSeconds(120), false, List.of()); // cleared
        UUID back = scan(tenant, ScanStatus.COMPLETE, T0.plusSeconds(180), true, List.of());

        assertThat(alertsSoFar(tenant)).extracting(AlertRaised::alertId).containsExactly(
                "NO_MFA_ENFORCEMENT:" + tenant + ":" + scan1, "NO_MFA_ENFORCEMENT:" + tenant + ":" + back);
    }

    @Test
    void aPartialScansCoverageIsStoredButRaisesNothingAndIsNotThePreviousScan() {
        String tenant = newTenant();
        UUID partial = scan(tenant, ScanStatus.PARTIAL, T0, true,
                List.of(uncovered(UUID.randomUUID().toString(), "adm@x.example", UncoveredReason.IN_NO_INCLUDE, true)));
        awaitCoverage(tenant, c -> "PARTIAL".equals(c.getString("scanStatus")));
        reader().get("/api/v1/tenants/" + tenant + "/coverage").then().body("scanId", is(partial.toString()));
        assertThat(alertsSoFar(tenant)).isEmpty();

        UUID complete = scan(tenant, ScanStatus.COMPLETE, T0.plusSeconds(60), true, List.of());

        assertThat(alertsSoFar(tenant)).extracting(AlertRaised::alertId)
                .containsExactly("NO_MFA_ENFORCEMENT:" + tenant + ":" + complete);
    }

    @Test
    void anUncoveredPrivilegedUserIsAlertedOnceNamingTheUserTheReasonAndTheTenant() {
        String tenant = newTenant();
        createTenant(tenant);
        String admin = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        UncoveredUser adminUncovered = uncovered(admin, "adm@contoso.example", UncoveredReason.ONLY_REPORT_ONLY, true);
        UncoveredUser bobUncovered = uncovered(bob, "bob@contoso.example", UncoveredReason.IN_NO_INCLUDE, false);
        UUID scan1 = scan(tenant, ScanStatus.COMPLETE, T0, false, List.of(adminUncovered, bobUncovered));
        scan(tenant, ScanStatus.COMPLETE, T0.plusSeconds(60), false, List.of(adminUncovered, bobUncovered));

        assertThat(alertsSoFar(tenant)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.UNCOVERED_PRIVILEGED_USER);
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.alertId()).isEqualTo("UNCOVERED_PRIVILEGED_USER:" + tenant + ":" + admin + ":" + scan1);
            assertThat(a.subject()).contains("adm@contoso.example", "Contoso " + tenant.substring(0, 8));
            assertThat(a.facts()).containsEntry("Tenant", tenant)
                    .containsEntry("Tenant name", "Contoso " + tenant.substring(0, 8))
                    .containsEntry("User", "adm@contoso.example").containsEntry("User id", admin);
            assertThat(a.facts().get("Reason")).startsWith("ONLY_REPORT_ONLY: only report-only MFA policies");
        });

        scan(tenant, ScanStatus.COMPLETE, T0.plusSeconds(120), false, List.of(bobUncovered)); // the admin is covered
        UUID scan4 = scan(tenant, ScanStatus.COMPLETE, T0.plusSeconds(180), false, List.of(adminUncovered,
                uncovered(bob, "bob@contoso.example", UncoveredReason.IN_NO_INCLUDE, true))); // back; bob now an admin

        assertThat(alertsSoFar(tenant)).extracting(AlertRaised::alertId).containsExactlyInAnyOrder(
                "UNCOVERED_PRIVILEGED_USER:" + tenant + ":" + admin + ":" + scan1,
                "UNCOVERED_PRIVILEGED_USER:" + tenant + ":" + admin + ":" + scan4,
                "UNCOVERED_PRIVILEGED_USER:" + tenant + ":" + bob + ":" + scan4);
    }

    @Test
    void aScanResultsRecordOfCoverageIsNotDeadLetteredAnyMore() {
        String tenant = newTenant();
        EventEnvelope<CoverageObserved> envelope = send(coverage(UUID.randomUUID(), tenant, T0, false, List.of()));
        awaitCoverage(tenant, c -> true);
        send(envelope); // the same record again: applied once
        UUID marker = UUID.randomUUID();
        send(completed(marker, tenant, ScanStatus.PARTIAL, 0, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> reader().get("/api/v1/tenants/" + tenant).statusCode() == 200);
        reader().get("/api/v1/tenants/" + tenant + "/coverage").then().statusCode(200)
                .body("scanId", is(envelope.payload().scanId().toString()));
    }

    /** Sends a scan's coverage then its ScanCompleted; returns the scan id. */
    private static UUID scan(String tenant, ScanStatus status, Instant observedAt, boolean noMfaEnforcement,
            List<UncoveredUser> users) {
        UUID scanId = UUID.randomUUID();
        send(coverage(scanId, tenant, observedAt, noMfaEnforcement, users));
        send(completed(scanId, tenant, status, 0, observedAt.minusSeconds(30)));
        return scanId;
    }

    private static JsonPath awaitCoverage(String tenant, java.util.function.Predicate<JsonPath> until) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            var response = reader().get("/api/v1/tenants/" + tenant + "/coverage");
            return response.statusCode() == 200 ? response.jsonPath() : null;
        }, c -> c != null && until.test(c));
    }

    /** Every page of GET /api/v1/coverage with these filters, by tenant id (the pages must come in tenant id order). */
    private static Map<String, Map<String, Object>> listAll(String filters) {
        Map<String, Map<String, Object>> all = new java.util.LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = reader().get("/api/v1/coverage?limit=2" + filters + (cursor == null ? "" : "&cursor=" + cursor))
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            assertThat(items).hasSizeLessThanOrEqualTo(2);
            items.forEach(i -> {
                all.put((String) i.get("tenantId"), i);
                order.add((String) i.get("tenantId"));
            });
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(order).isSorted().doesNotHaveDuplicates();
        return all;
    }
}
