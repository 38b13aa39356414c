package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.events.ExclusionUsageObserved;
import io.mfagov.model.events.GapKind;
import io.mfagov.model.events.MfaGapDetected;
import io.mfagov.model.events.MissingSignal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.TenantPostureObserved;
import io.mfagov.model.events.UncoveredReason;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * Issue 14 in the register's reads: the per-tenant list of shared mailboxes (their gaps apart), the gaps CSV, the risk
 * score and evidence of use on exclusions (API, sort, CSV) and the QBR summary's gap figures and trend. Scan results
 * go through the real broker into the real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class GapReportsTest {

    private static final String POLICY = "88888888-2222-3333-4444-555555555555";
    private static final Instant T0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    @Test
    void sharedMailboxesAreListedByReadersChangedByAdminsCheckedAndAudited() {
        String tenant = newTenant();
        createTenant(tenant);
        String base = "/api/v1/tenants/" + tenant + "/shared-mailboxes";
        reader().get(base).then().statusCode(200).body("size()", is(0));
        reader().body(Map.of("upnPattern", "room-*@contoso.com")).post(base).then().statusCode(403);

        String user = UUID.randomUUID().toString();
        String byId = admin().body(Map.of("userId", user.toUpperCase(), "note", "Reception desk")).post(base).then()
                .statusCode(201).body("userId", is(user)).body("addedBy", is(ADMIN)).extract().path("id");
        admin().body(Map.of("upnPattern", "Room-*@Contoso.com", "note", "Meeting rooms")).post(base).then()
                .statusCode(201).body("upnPattern", is("room-*@contoso.com"));

        for (Map<String, String> bad : List.of(Map.of("upnPattern", "room-*"), Map.of("upnPattern", "*@contoso.com"),
                Map.of("upnPattern", "room-*@*.com"), Map.of("upnPattern", "room -*@contoso.com"))) {
            admin().body(bad).post(base).then().statusCode(400).contentType("application/problem+json")
                    .body("field", is("upnPattern"));
        }
        admin().body(Map.of("userId", "not-a-guid")).post(base).then().statusCode(400).body("field", is("userId"));
        admin().body(Map.of("note", "nothing named")).post(base).then().statusCode(400).body("field", is("userId"));
        admin().body(Map.of("userId", user, "upnPattern", "x-*@contoso.com")).post(base).then().statusCode(400)
                .body("field", is("upnPattern"));
        admin().body(Map.of("upnPattern", "ROOM-*@contoso.com")).post(base).then().statusCode(409);
        admin().body(Map.of("upnPattern", "a-*@contoso.com")).post("/api/v1/tenants/" + newTenant() + "/shared-mailboxes")
                .then().statusCode(404);

        assertThat(reader().get(base).then().statusCode(200).extract().jsonPath().getList("note"))
                .containsExactly("Reception desk", "Meeting rooms");
        reader().delete(base + "/" + byId).then().statusCode(403);
        admin().delete("/api/v1/tenants/" + newTenant() + "/shared-mailboxes/" + byId).then().statusCode(404);
        admin().delete(base + "/" + byId).then().statusCode(204);
        assertThat(reader().get(base).then().statusCode(200).extract().jsonPath().getList("upnPattern"))
                .containsExactly("room-*@contoso.com");

        List<String> actions = admin().get("/api/v1/audit/events?tenantId=" + tenant).then().statusCode(200).extract()
                .jsonPath().getList("action");
        assertThat(actions.stream().filter(a -> a.startsWith("SHARED_MAILBOX_")).toList())
                .containsExactly("SHARED_MAILBOX_ADDED", "SHARED_MAILBOX_ADDED", "SHARED_MAILBOX_REMOVED");
    }

    @Test
    void gapsOfListedSharedMailboxesAreReportedApartRiskSortsExclusionsAndTheSummaryShowsGapsAndTheirTrend() {
        String tenant = newTenant();
        createTenant(tenant);
        String admin = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String carol = UUID.randomUUID().toString();
        String room = UUID.randomUUID().toString();
        String lobby = UUID.randomUUID().toString();
        admin().body(Map.of("upnPattern", "ROOM-*@contoso.example")).post("/api/v1/tenants/" + tenant + "/shared-mailboxes")
                .then().statusCode(201);
        admin().body(Map.of("userId", lobby)).post("/api/v1/tenants/" + tenant + "/shared-mailboxes").then().statusCode(201);

        // An older scan, 40 days ago (another month): one gap of bob, one of the room.
        UUID older = UUID.randomUUID();
        Instant then = T0.minus(40, ChronoUnit.DAYS);
        send(new TenantPostureObserved(older, tenant, 30, null, null, 2, 0, 0, 0, 10L, 0L, List.of(), then));
        send(gap(older, tenant, bob, "bob@contoso.example", GapKind.NOT_REGISTERED, false, null, then));
        send(gap(older, tenant, room, "room-1@contoso.example", GapKind.NOT_REGISTERED, false, null, then));

        UUID scan = UUID.randomUUID();
        send(user(scan, tenant, POLICY, admin, T0));
        send(user(scan, tenant, POLICY, bob, T0));
        send(user(scan, tenant, POLICY, carol, T0));
        send(coverage(scan, tenant, T0, false,
                List.of(uncovered(admin, "adm@contoso.example", UncoveredReason.EXCLUDED_EVERYWHERE, true))));
        send(new TenantPostureObserved(scan, tenant, 30, T0.minus(30, ChronoUnit.DAYS), T0, 2, 1, 1, 1, 200L, 5L,
                List.of(new MissingSignal("perUserMfa", "403 Forbidden")), T0));
        send(gap(scan, tenant, admin, "adm@contoso.example", GapKind.NOT_REGISTERED, true, "=HYPERLINK(\"x\")", T0));
        send(gap(scan, tenant, admin, "adm@contoso.example", GapKind.SINGLE_FACTOR_SIGNINS, true, null, T0));
        send(gap(scan, tenant, bob, "bob@contoso.example", GapKind.PER_USER_MFA_ONLY, false, null, T0));
        send(gap(scan, tenant, room, "Room-1@Contoso.example", GapKind.NOT_REGISTERED, false, null, T0));
        send(gap(scan, tenant, lobby, "lobby@contoso.example", GapKind.NOT_CAPABLE, false, null, T0));
        send(new ExclusionUsageObserved(scan, tenant, PrincipalType.USER, admin, 30, T0.minusSeconds(60),
                T0.minusSeconds(120), 12, 5, T0));
        send(new ExclusionUsageObserved(scan, tenant, PrincipalType.USER, bob, 30, T0.minusSeconds(3600), null, 3, 0, T0));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 3, T0.minusSeconds(30)));

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath j = reader().get("/api/v1/exclusions?tenantId=" + tenant + "&sort=risk").then().extract().jsonPath();
            return j.getList("items").size() == 3 && Integer.valueOf(12).equals(j.get("items[0].signIns"));
        });

        // The gaps endpoint: shared mailboxes apart by default, included (marked) with the flag.
        JsonPath gaps = reader().get("/api/v1/tenants/" + tenant + "/gaps").then().statusCode(200).extract().jsonPath();
        assertThat(gaps.getList("items.userId")).containsExactlyInAnyOrder(admin, admin, bob);
        assertThat(gaps.getMap("counts")).containsExactlyInAnyOrderEntriesOf(Map.of("NOT_REGISTERED", 1,
                "SINGLE_FACTOR_SIGNINS", 1, "PER_USER_MFA_ONLY", 1));
        assertThat(gaps.getList("sharedMailboxGaps.userId")).containsExactlyInAnyOrder(room, lobby);
        assertThat(gaps.getList("sharedMailboxGaps.sharedMailbox")).containsOnly(true);
        assertThat(gaps.getMap("sharedMailboxCounts")).containsExactlyInAnyOrderEntriesOf(Map.of("NOT_REGISTERED", 1,
                "NOT_CAPABLE", 1));
        JsonPath all = reader().get("/api/v1/tenants/" + tenant + "/gaps?includeSharedMailboxes=true").then()
                .statusCode(200).extract().jsonPath();
        assertThat(all.getList("items")).hasSize(5);
        assertThat(all.getMap("counts")).containsEntry("NOT_REGISTERED", 2).containsEntry("NOT_CAPABLE", 1);
        assertThat(all.getList("items.findAll { it.sharedMailbox }.userId")).containsExactlyInAnyOrder(room, lobby);
        reader().get("/api/v1/tenants/" + tenant + "/gaps?includeSharedMailboxes=maybe").then().statusCode(400)
                .body("field", is("includeSharedMailboxes"));

        // The gaps CSV: the CLI's CA_Gaps columns then Privileged, SharedMailbox; formulas neutralised.
        List<String> csv = csvLines("/api/v1/reports/gaps.csv?tenantId=" + tenant);
        assertThat(csv.get(0)).isEqualTo("TenantId,UserId,UPN,DisplayName,Kind,Count,FirstSeen,LastSeen,Apps,ClientApps,"
                + "Detail,Privileged,SharedMailbox");
        assertThat(csv.subList(1, csv.size())).hasSize(3).allSatisfy(l -> assertThat(l).startsWith(tenant + ",")
                .endsWith(",false"));
        assertThat(csv.get(1)).startsWith(tenant + "," + admin + ",adm@contoso.example,").contains(",true,false");
        assertThat(String.join("\n", csv)).contains(",\"'=HYPERLINK(\"\"x\"\")\",")
                .contains(",SINGLE_FACTOR_SIGNINS,4,").contains(",Office 365 Exchange Online; SharePoint,");
        List<String> withShared = csvLines("/api/v1/reports/gaps.csv?tenantId=" + tenant + "&includeSharedMailboxes=true");
        assertThat(withShared).hasSize(6);
        assertThat(withShared.stream().filter(l -> l.endsWith(",true")).toList()).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("," + room + ",Room-1@Contoso.example,"));
        assertThat(csvLines("/api/v1/reports/gaps.csv?tenantId=" + tenant + "&kind=PER_USER_MFA_ONLY")).hasSize(2);
        reader().get("/api/v1/reports/gaps.csv?kind=NOPE").then().statusCode(400).body("field", is("kind"));
        reader().get("/api/v1/reports/gaps.csv?tenantId=x").then().statusCode(400).body("field", is("tenantId"));

        // Exclusions: risk first, ties by id, with the evidence of use.
        JsonPath risk = reader().get("/api/v1/exclusions?tenantId=" + tenant + "&sort=risk").then().statusCode(200)
                .extract().jsonPath();
        assertThat(risk.getList("items.principalId").get(0)).isEqualTo(admin);
        assertThat(risk.getInt("items[0].riskScore")).isEqualTo(100);
        assertThat(risk.getList("items[0].riskFactors.factor")).containsExactly("PRIVILEGED_ROLE", "NOT_MFA_REGISTERED",
                "SINGLE_FACTOR_SIGNINS", "UNCOVERED", "NO_APPROVED_EXCEPTION", "ENABLED_ACCOUNT");
        assertThat(risk.getInt("items[0].singleFactorSignIns")).isEqualTo(5);
        assertThat(risk.getString("items[0].lastSignIn")).isNotNull();
        List<String> ties = List.of(bob, carol).stream().sorted(java.util.Comparator.comparing(id -> risk.getString(
                "items.find { it.principalId == '" + id + "' }.id"))).toList();
        assertThat(risk.getList("items.principalId").subList(1, 3)).isEqualTo(ties);
        assertThat(risk.getList("items.riskScore").subList(1, 3)).containsOnly(20);
        Map<String, Object> carolView = risk.getMap("items.find { it.principalId == '" + carol + "' }");
        assertThat(carolView).containsEntry("signIns", null).containsEntry("lastSignIn", null);
        assertThat(risk.getInt("items.find { it.principalId == '" + bob + "' }.signIns")).isEqualTo(3);

        JsonPath page1 = reader().get("/api/v1/exclusions?tenantId=" + tenant + "&sort=risk&limit=2").then()
                .statusCode(200).extract().jsonPath();
        JsonPath page2 = reader().get("/api/v1/exclusions?tenantId=" + tenant + "&sort=risk&limit=2&cursor="
                + page1.getString("nextCursor")).then().statusCode(200).extract().jsonPath();
        assertThat(page1.getList("items.principalId")).containsExactly(admin, ties.get(0));
        assertThat(page2.getList("items.principalId")).containsExactly(ties.get(1));
        assertThat(page2.getString("nextCursor")).isNull();
        String adminExclusion = risk.getString("items[0].id");
        reader().get("/api/v1/exclusions/" + adminExclusion).then().statusCode(200).body("riskScore", is(100))
                .body("signIns", is(12));

        List<String> exclusionsCsv = csvLines("/api/v1/reports/exclusions.csv?tenantId=" + tenant);
        assertThat(exclusionsCsv.get(0)).endsWith(",Flags,LastSignIn,SignIns,SingleFactorSignIns,RiskScore");
        assertThat(exclusionsCsv).anySatisfy(l -> assertThat(l).contains("," + admin + ",")
                .endsWith("," + T0.minusSeconds(60) + ",12,5,100"));
        assertThat(exclusionsCsv).anySatisfy(l -> assertThat(l).contains("," + carol + ",").endsWith(",,,,20"));

        // The QBR summary.
        JsonPath summary = reader().get("/api/v1/reports/tenants/" + tenant + "/summary").then().statusCode(200)
                .extract().jsonPath();
        assertThat(summary.getString("gaps.scanId")).isEqualTo(scan.toString());
        assertThat(summary.getMap("gaps.countsByKind")).containsExactlyInAnyOrderEntriesOf(Map.of("NOT_REGISTERED", 1,
                "SINGLE_FACTOR_SIGNINS", 1, "PER_USER_MFA_ONLY", 1));
        assertThat(summary.getMap("gaps.sharedMailboxCountsByKind")).containsExactlyInAnyOrderEntriesOf(
                Map.of("NOT_REGISTERED", 1, "NOT_CAPABLE", 1));
        assertThat(summary.getInt("gaps.singleFactorSignInUsers")).isEqualTo(1);
        assertThat(summary.getInt("gaps.perUserMfaOnly")).isEqualTo(1);
        assertThat(summary.getInt("gaps.signInWindowDays")).isEqualTo(30);
        assertThat(summary.getList("gaps.missingSignals.signal")).containsExactly("perUserMfa");
        assertThat(summary.getString("topRiskyExclusions[0].exclusionId")).isEqualTo(adminExclusion);
        assertThat(summary.getInt("topRiskyExclusions[0].riskScore")).isEqualTo(100);
        assertThat(summary.getList("topRiskyExclusions")).hasSize(3);
        assertThat(summary.getList("gapTrend.scanId")).containsExactly(older.toString(), scan.toString());
        assertThat(summary.getMap("gapTrend[0].countsByKind")).containsExactlyEntriesOf(Map.of("NOT_REGISTERED", 1));
        assertThat(summary.getMap("gapTrend[1].countsByKind")).containsExactlyInAnyOrderEntriesOf(
                Map.of("NOT_REGISTERED", 1, "SINGLE_FACTOR_SIGNINS", 1, "PER_USER_MFA_ONLY", 1));
    }

    private static List<String> csvLines(String url) {
        String body = reader().get(url).then().statusCode(200).contentType("text/csv").extract().asString();
        assertThat(body).startsWith("\uFEFF");
        return Arrays.asList(body.substring(1).split("\r\n"));
    }

    private static MfaGapDetected gap(UUID scan, String tenant, String userId, String upn, GapKind kind,
            boolean privileged, String detail, Instant at) {
        boolean signIns = kind == GapKind.SINGLE_FACTOR_SIGNINS;
        return new MfaGapDetected(scan, tenant, kind, userId, upn, "User " + upn, "Member", privileged,
                signIns ? 4 : null, signIns ? at.minus(3, ChronoUnit.DAYS) : null, signIns ? at.minusSeconds(600) : null,
                signIns ? List.of("Office 365 Exchange Online", "SharePoint") : List.of(),
                signIns ? List.of("Exchange ActiveSync") : List.of(), List.of(), List.of(), null, List.of(),
                kind == GapKind.PER_USER_MFA_ONLY ? "enforced" : null, detail, at);
    }
}
