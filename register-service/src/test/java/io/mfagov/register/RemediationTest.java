package io.mfagov.register;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.RemediationApplied;
import io.mfagov.model.events.RemediationFailed;
import io.mfagov.model.events.RemediationFailure;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationPlan;
import io.mfagov.model.events.RemediationPlanned;
import io.mfagov.model.events.RemediationReason;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.Severity;
import io.mfagov.register.service.LifecycleJob;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Removing exclusions from tenants (issue 15), the register's side, over real Kafka and PostgreSQL: the daily job plans
 * expired exclusions (never break-glass, never in a tenant that did not opt in, never inside the grace period) and asks
 * the scanner on mfagov.remediation-requests; the scanner's answers (sent here as the scanner would) drive the statuses,
 * the audit chain and the alerts; approval is four-eyes; a replay changes nothing twice; the next complete scan confirms.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class RemediationTest {

    private static final String MODIFIED = "2026-11-01T08:00:00Z";

    @Inject
    LifecycleJob lifecycle;

    /** A tenant with its settings; enforcement on unless said otherwise. */
    private static void tenant(String tenant, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(Map.of("tenantId", tenant, "displayName", "Fabrikam " + tenant.substring(0, 8)));
        body.putAll(settings);
        admin().body(body).post("/api/v1/tenants").then().statusCode(201);
    }

    /** One exclusion of the user (direct) detected by a complete scan. */
    private static void detected(String tenant, String policy, String user) {
        UUID scan = UUID.randomUUID();
        Instant start = Instant.now().minusSeconds(5);
        send(user(scan, tenant, policy, user, start.plusSeconds(1)));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 1, start));
        await().atMost(Duration.ofSeconds(30)).until(() -> reader().get("/api/v1/exclusions?tenantId=" + tenant)
                .then().extract().jsonPath().getList("items.principalId").contains(user));
    }

    /** An approved exception of the category for the user; returns its id and expiry. */
    private static Map.Entry<String, Instant> approvedException(String tenant, String category, String user, int days) {
        String id = requester().body(Map.of("tenantId", tenant, "category", category, "justification", "vendor connector",
                        "ticketRef", "PSA-7", "expiresAt", inDays(days),
                        "principals", List.of(Map.of("id", user, "type", "USER"))))
                .post("/api/v1/exceptions").then().statusCode(201).extract().path("id");
        ("BREAK_GLASS".equals(category) ? admin() : approver()).body("{}").post("/api/v1/exceptions/" + id + "/approve")
                .then().statusCode(200);
        Instant expires = Instant.parse(reader().get("/api/v1/exceptions/" + id).then().extract().path("expiresAt"));
        return Map.entry(id, expires);
    }

    private static List<Map<String, Object>> remediations(String tenant) {
        return reader().get("/api/v1/tenants/" + tenant + "/remediations").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    private static JsonPath remediation(String id) {
        return reader().get("/api/v1/remediations/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(remediation(id).getString("status")));
    }

    /** The requests for a remediation on mfagov.remediation-requests, read until there are {@code n}. */
    private static List<RemediationRequested> requests(String remediationId, int n) {
        return kafka().readUntil(Topics.REMEDIATION_REQUESTS, Duration.ofSeconds(30), rs -> decode(rs, remediationId).size() >= n)
                .stream().map(r -> EventCodec.get().decode(r.value(), RemediationRequested.class).payload())
                .filter(r -> r.remediationId().toString().equals(remediationId)).toList();
    }

    private static List<RemediationRequested> decode(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> rs,
            String remediationId) {
        return rs.stream().map(r -> EventCodec.get().decode(r.value(), RemediationRequested.class).payload())
                .filter(r -> r.remediationId().toString().equals(remediationId)).toList();
    }

    private static JsonNode json(String text) {
        try {
            return EventCodec.get().mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The scanner's EXCLUDE_LIST plan: the user removed from excludeUsers, the break-glass account kept. */
    private static RemediationPlan excludeListPlan(RemediationRequested q, String breakGlass, String modified) {
        JsonNode before = json("{\"includeUsers\":[\"All\"],\"excludeUsers\":[\"" + q.principalId() + "\",\"" + breakGlass
                + "\"],\"excludeGroups\":[],\"excludeRoles\":[]}");
        ObjectNode users = before.deepCopy();
        users.putArray("excludeUsers").add(breakGlass);
        ObjectNode patch = EventCodec.get().mapper().createObjectNode();
        patch.putObject("conditions").set("users", users);
        return new RemediationPlan(PlanKind.EXCLUDE_LIST, q.policyId(), "Require MFA for all users", modified, before,
                patch, "excludeUsers", q.principalId(), null, null,
                List.of("PATCH the policy's conditions.users without " + q.principalId()), "named in excludeUsers");
    }

    private static RemediationApplied applied(RemediationRequested q, String breakGlass, List<String> unexpected) {
        JsonNode usersAfter = json("{\"includeUsers\":[\"All\"],\"excludeUsers\":[\"" + breakGlass
                + "\"],\"excludeGroups\":[],\"excludeRoles\":[]}");
        return new RemediationApplied(q.remediationId(), q.requestId(), q.tenantId(), q.mode(), PlanKind.EXCLUDE_LIST,
                q.policyId(), "excludeUsers", q.principalId(), null,
                q.mode() == RemediationMode.APPLY ? List.of(q.principalId(), breakGlass) : List.of(breakGlass),
                q.mode() == RemediationMode.APPLY ? List.of(breakGlass) : List.of(breakGlass, q.principalId()),
                MODIFIED, "2026-11-20T07:00:00Z", usersAfter, unexpected,
                unexpected.isEmpty() ? null : json("{\"state\":\"enabled\"}"),
                unexpected.isEmpty() ? null : json("{\"state\":\"disabled\"}"), Instant.now(), 3);
    }

    private static long auditCount(String remediationId) {
        return remediation(remediationId).getList("history").size();
    }

    /** Sets up a tenant with an expired OTHER exception and its exclusion, and runs the job past the grace days. */
    private record Expired(String tenant, String policy, String user, String breakGlass, String remediationId) {
    }

    private Expired expiredAndPlanned(Map<String, Object> settings) {
        String tenant = newTenant();
        Map<String, Object> s = new HashMap<>(Map.of("enforcementEnabled", true));
        s.putAll(settings);
        tenant(tenant, s);
        String policy = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        String breakGlass = UUID.randomUUID().toString();
        detected(tenant, policy, user);
        approvedException(tenant, "BREAK_GLASS", breakGlass, 300);
        Instant expires = approvedException(tenant, "OTHER", user, 20).getValue();

        lifecycle.run(expires.plus(1, ChronoUnit.DAYS));
        assertThat(remediations(tenant)).as("inside the 7 grace days nothing is planned").isEmpty();
        lifecycle.run(expires.plus(8, ChronoUnit.DAYS));
        List<Map<String, Object>> planned = remediations(tenant);
        assertThat(planned).hasSize(1);
        return new Expired(tenant, policy, user, breakGlass, (String) planned.get(0).get("id"));
    }

    @Test
    void anExpiredExclusionIsPlannedApprovedAppliedAndConfirmedByTheNextCompleteScan() {
        Expired x = expiredAndPlanned(Map.of());
        JsonPath r = remediation(x.remediationId());
        assertThat(r.getString("status")).isEqualTo("PLANNING");
        assertThat(r.getString("reason")).isEqualTo("EXPIRED");
        assertThat(r.getString("requestedBy")).isEqualTo("lifecycle");

        RemediationRequested plan = requests(x.remediationId(), 1).get(0);
        assertThat(plan.mode()).isEqualTo(RemediationMode.PLAN);
        assertThat(plan.reason()).isEqualTo(RemediationReason.EXPIRED);
        assertThat(plan.principalId()).isEqualTo(x.user());
        assertThat(plan.policyId()).isEqualTo(x.policy());
        assertThat(plan.protectedIds()).as("the break-glass account is protected").contains(x.breakGlass())
                .doesNotContain(x.user());
        assertThat(plan.soleRoute()).isTrue();
        assertThat(plan.groupMembershipAllowed()).isFalse();
        assertThat(Duration.between(plan.requestedAt(), plan.notAfter())).isEqualTo(Duration.ofHours(1));

        RemediationPlan p = excludeListPlan(plan, x.breakGlass(), MODIFIED);
        send(new RemediationPlanned(plan.remediationId(), plan.requestId(), x.tenant(), RemediationMode.PLAN, p, null,
                Instant.now(), 1));
        awaitStatus(x.remediationId(), "PLANNED");
        JsonPath dryRun = remediation(x.remediationId());
        assertThat(dryRun.getList("plan.patchBody.conditions.users.excludeUsers")).containsExactly(x.breakGlass());
        assertThat(dryRun.getString("planKind")).isEqualTo("EXCLUDE_LIST");

        approver().body("{}").post("/api/v1/remediations/" + x.remediationId() + "/approve").then().statusCode(200)
                .body("status", is("APPLYING")).body("approvedBy", is(APPROVER));
        RemediationRequested apply = requests(x.remediationId(), 2).get(1);
        assertThat(apply.mode()).isEqualTo(RemediationMode.APPLY);
        assertThat(apply.plan()).isEqualTo(p);
        assertThat(apply.expectedModifiedDateTime()).isEqualTo(MODIFIED);
        assertThat(apply.expectedUsers()).isEqualTo(p.usersBefore());
        assertThat(apply.requestedBy()).isEqualTo(APPROVER);

        EventEnvelope<RemediationApplied> done = send(applied(apply, x.breakGlass(), List.of()));
        awaitStatus(x.remediationId(), "APPLIED");
        JsonPath a = remediation(x.remediationId());
        assertThat(a.getList("before")).containsExactly(x.user(), x.breakGlass());
        assertThat(a.getList("after")).containsExactly(x.breakGlass());
        Map<String, Object> appliedAudit = a.getMap("history.find { it.action == 'REMEDIATION_APPLIED' }.details");
        assertThat(appliedAudit).containsEntry("before", List.of(x.user(), x.breakGlass()))
                .containsEntry("after", List.of(x.breakGlass())).containsKey("patchBody");
        reader().get("/api/v1/tenants/" + x.tenant()).then().body("enforcementStatus", is("PERMITTED"));

        // Replays: the same event again, and an answer to the old PLAN request: nothing changes.
        long audits = auditCount(x.remediationId());
        send(done);
        send(new RemediationPlanned(plan.remediationId(), plan.requestId(), x.tenant(), RemediationMode.PLAN, p, null,
                Instant.now(), 1));
        send(new RemediationFailed(plan.remediationId(), plan.requestId(), x.tenant(), RemediationMode.PLAN,
                RemediationFailure.GRAPH_ERROR, "late", List.of(), Instant.now(), 1));
        List<AlertRaised> alerts = alertsSoFar(x.tenant());
        assertThat(remediation(x.remediationId()).getString("status")).isEqualTo("APPLIED");
        assertThat(auditCount(x.remediationId())).isEqualTo(audits);
        assertThat(alerts).filteredOn(al -> al.kind() == AlertKind.REMEDIATION_APPLIED).hasSize(1)
                .allSatisfy(al -> {
                    assertThat(al.alertId()).isEqualTo("REMEDIATION_APPLIED:" + x.remediationId() + ":" + apply.requestId());
                    assertThat(al.severity()).isEqualTo(Severity.LOW);
                    assertThat(al.facts()).containsKeys("Tenant", "Policy", "Principal", "Path", "Reason", "Plan kind",
                            AlertRaised.SUGGESTED_ACTION);
                });
        assertThat(alerts).filteredOn(al -> al.kind() == AlertKind.REMEDIATION_PLANNED).hasSize(1)
                .allSatisfy(al -> assertThat(al.severity()).isEqualTo(Severity.MEDIUM));
        assertThat(alerts).noneMatch(al -> al.kind() == AlertKind.REMEDIATION_FAILED);

        // The next complete scan no longer finds the exclusion: confirmed.
        UUID scan = UUID.randomUUID();
        send(completed(scan, x.tenant(), ScanStatus.COMPLETE, 0, Instant.now()));
        awaitStatus(x.remediationId(), "CONFIRMED");
        assertThat(remediation(x.remediationId()).getList("history.action")).contains("REMEDIATION_REQUESTED",
                "REMEDIATION_PLANNED", "REMEDIATION_APPROVED", "REMEDIATION_APPLIED", "REMEDIATION_CONFIRMED");
        reader().get("/api/v1/audit/verify").then().statusCode(200).body("ok", is(true));
    }

    @Test
    void breakGlassAndTenantsThatDidNotOptInAreNeverPlannedAndRetiringThemIsAConflict() {
        String optedIn = newTenant();
        tenant(optedIn, Map.of("enforcementEnabled", true, "enforcementGraceDays", 0));
        String breakGlass = UUID.randomUUID().toString();
        detected(optedIn, UUID.randomUUID().toString(), breakGlass);
        Map.Entry<String, Instant> bg = approvedException(optedIn, "BREAK_GLASS", breakGlass, 10);

        String notOptedIn = newTenant();
        tenant(notOptedIn, Map.of());
        String user = UUID.randomUUID().toString();
        detected(notOptedIn, UUID.randomUUID().toString(), user);
        Map.Entry<String, Instant> other = approvedException(notOptedIn, "OTHER", user, 10);
        reader().get("/api/v1/tenants/" + notOptedIn).then().body("enforcementEnabled", is(false))
                .body("enforcementGraceDays", is(7)).body("enforcementStatus", is("UNKNOWN"));

        lifecycle.run(bg.getValue().plus(30, ChronoUnit.DAYS));
        assertThat(remediations(optedIn)).isEmpty();
        assertThat(remediations(notOptedIn)).isEmpty();

        approver().post("/api/v1/exceptions/" + bg.getKey() + "/retire").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("not enforceable"));
        approver().post("/api/v1/exceptions/" + other.getKey() + "/retire").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("enforcement off"));
        approver().post("/api/v1/exceptions/not-a-uuid/retire").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("id"));
        approver().post("/api/v1/exceptions/" + UUID.randomUUID() + "/retire").then().statusCode(404)
                .contentType("application/problem+json");
        reader().post("/api/v1/exceptions/" + other.getKey() + "/retire").then().statusCode(403);
        reader().get("/api/v1/tenants/" + optedIn + "/remediations?status=SOMETHING").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("status"));
    }

    @Test
    void aRetiredExceptionIsPlannedForItsRequesterAndOnlyAnotherApproverDecides() {
        String tenant = newTenant();
        tenant(tenant, Map.of("enforcementEnabled", true));
        String user = UUID.randomUUID().toString();
        detected(tenant, UUID.randomUUID().toString(), user);
        String exception = approvedException(tenant, "LEGACY_APP", user, 30).getKey();

        List<Map<String, Object>> planned = as(APPROVER, "approver").post("/api/v1/exceptions/" + exception + "/retire")
                .then().statusCode(202).extract().jsonPath().getList("$");
        assertThat(planned).hasSize(1);
        String id = (String) planned.get(0).get("id");
        assertThat(planned.get(0)).containsEntry("reason", "RETIRED").containsEntry("status", "PLANNING")
                .containsEntry("requestedBy", APPROVER);
        as(APPROVER, "approver").post("/api/v1/exceptions/" + exception + "/retire").then().statusCode(409)
                .contentType("application/problem+json");

        RemediationRequested q = requests(id, 1).get(0);
        assertThat(q.reason()).isEqualTo(RemediationReason.RETIRED);
        assertThat(q.requestedBy()).isEqualTo(APPROVER);
        send(new RemediationPlanned(q.remediationId(), q.requestId(), tenant, RemediationMode.PLAN,
                excludeListPlan(q, UUID.randomUUID().toString(), MODIFIED), null, Instant.now(), 1));
        awaitStatus(id, "PLANNED");

        as(APPROVER, "approver").body("{}").post("/api/v1/remediations/" + id + "/approve").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("four eyes"));
        requester().body("{}").post("/api/v1/remediations/" + id + "/approve").then().statusCode(403);
        as(APPROVER_2, "approver").body("{}").post("/api/v1/remediations/" + id + "/reject").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("reason"));
        as(APPROVER_2, "approver").body(Map.of("reason", "still used by the scanner appliance"))
                .post("/api/v1/remediations/" + id + "/reject").then().statusCode(200).body("status", is("REJECTED"));
        as(APPROVER_2, "approver").body("{}").post("/api/v1/remediations/" + id + "/approve").then().statusCode(409)
                .contentType("application/problem+json");
        assertThat(requests(id, 1)).as("nothing sent after the rejection").hasSize(1);
        assertThat(reader().get("/api/v1/tenants/" + tenant + "/remediations?status=REJECTED").then().statusCode(200)
                .extract().jsonPath().getList("id")).containsExactly(id);
    }

    @Test
    void aTenantWithoutTheWritePermissionIsReportedAsEnforcementNotPermitted() {
        Expired x = expiredAndPlanned(Map.of());
        RemediationRequested plan = requests(x.remediationId(), 1).get(0);
        send(new RemediationPlanned(plan.remediationId(), plan.requestId(), x.tenant(), RemediationMode.PLAN,
                excludeListPlan(plan, x.breakGlass(), MODIFIED), null, Instant.now(), 1));
        awaitStatus(x.remediationId(), "PLANNED");
        approver().body("{}").post("/api/v1/remediations/" + x.remediationId() + "/approve").then().statusCode(200);
        RemediationRequested apply = requests(x.remediationId(), 2).get(1);
        send(new RemediationFailed(apply.remediationId(), apply.requestId(), x.tenant(), RemediationMode.APPLY,
                RemediationFailure.ENFORCEMENT_NOT_PERMITTED, "the token's roles lack Policy.ReadWrite.ConditionalAccess",
                List.of("Policy.ReadWrite.ConditionalAccess"), Instant.now(), 1));
        awaitStatus(x.remediationId(), "FAILED");
        assertThat(remediation(x.remediationId()).getString("failureReason")).isEqualTo("ENFORCEMENT_NOT_PERMITTED");
        reader().get("/api/v1/tenants/" + x.tenant()).then().body("enforcementStatus", is("NOT_PERMITTED"))
                .body("enforcementMissingPermissions", org.hamcrest.Matchers.contains("Policy.ReadWrite.ConditionalAccess"))
                .body("enforcementNote", containsString("enforcement not permitted"));
        List<AlertRaised> failed = alerts(x.tenant(), as -> as.stream().anyMatch(a -> a.kind() == AlertKind.REMEDIATION_FAILED));
        assertThat(failed).filteredOn(a -> a.kind() == AlertKind.REMEDIATION_FAILED).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.facts()).containsEntry("Missing permissions", "Policy.ReadWrite.ConditionalAccess");
            assertThat(a.facts().get(AlertRaised.SUGGESTED_ACTION)).contains("Policy.ReadWrite.ConditionalAccess");
        });
    }

    @Test
    void aConflictIsAlertedAndTheRemovalRolledBackAfterAnotherApproverApproves() {
        Expired x = expiredAndPlanned(Map.of("autoApplyExpiry", true));
        RemediationRequested plan = requests(x.remediationId(), 1).get(0);
        send(new RemediationPlanned(plan.remediationId(), plan.requestId(), x.tenant(), RemediationMode.PLAN,
                excludeListPlan(plan, x.breakGlass(), MODIFIED), null, Instant.now(), 1));
        // autoApplyExpiry: the register approves the expiry removal itself.
        awaitStatus(x.remediationId(), "APPLYING");
        assertThat(remediation(x.remediationId()).getString("approvedBy")).isEqualTo("lifecycle");
        RemediationRequested apply = requests(x.remediationId(), 2).get(1);
        assertThat(apply.mode()).isEqualTo(RemediationMode.APPLY);

        send(applied(apply, x.breakGlass(), List.of("$.state")));
        awaitStatus(x.remediationId(), "APPLIED");
        JsonPath r = remediation(x.remediationId());
        assertThat(r.getBoolean("conflict")).isTrue();
        assertThat(r.getList("unexpectedChanges")).containsExactly("$.state");
        assertThat(r.getString("policyAfter.state")).isEqualTo("disabled");
        List<AlertRaised> conflict = alerts(x.tenant(), as -> as.stream().anyMatch(a -> a.kind() == AlertKind.REMEDIATION_CONFLICT));
        assertThat(conflict).filteredOn(a -> a.kind() == AlertKind.REMEDIATION_CONFLICT).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.facts()).containsKeys("Unexpected changes", "Policy before", "Policy after");
            assertThat(a.facts().get("Policy after")).contains("disabled");
        });

        as(APPROVER, "approver").body(Map.of("reason", "the policy was disabled meanwhile"))
                .post("/api/v1/remediations/" + x.remediationId() + "/rollback").then().statusCode(200)
                .body("status", is("ROLLBACK_PLANNED")).body("rollbackRequestedBy", is(APPROVER));
        as(APPROVER, "approver").body("{}").post("/api/v1/remediations/" + x.remediationId() + "/approve").then()
                .statusCode(403).body("detail", containsString("four eyes"));
        as(APPROVER_2, "approver").body("{}").post("/api/v1/remediations/" + x.remediationId() + "/approve").then()
                .statusCode(200).body("status", is("ROLLING_BACK"));
        RemediationRequested rollback = requests(x.remediationId(), 3).get(2);
        assertThat(rollback.mode()).isEqualTo(RemediationMode.ROLLBACK);
        assertThat(rollback.plan().removedId()).isEqualTo(x.user());
        assertThat(rollback.expectedModifiedDateTime()).as("what the removal left").isEqualTo("2026-11-20T07:00:00Z");
        assertThat(rollback.expectedUsers().get("excludeUsers").toString()).isEqualTo("[\"" + x.breakGlass() + "\"]");

        send(applied(rollback, x.breakGlass(), List.of()));
        awaitStatus(x.remediationId(), "ROLLED_BACK");
        JsonPath done = remediation(x.remediationId());
        assertThat(done.getList("after")).containsExactly(x.breakGlass(), x.user());
        assertThat(done.getList("history.action")).contains("REMEDIATION_CONFLICT", "REMEDIATION_ROLLBACK_REQUESTED",
                "REMEDIATION_ROLLBACK_APPROVED", "REMEDIATION_ROLLED_BACK");
    }

    @Test
    void aPolicyChangedBeforeTheWriteIsReplannedAndNeedsApprovalAgain() {
        Expired x = expiredAndPlanned(Map.of());
        RemediationRequested plan = requests(x.remediationId(), 1).get(0);
        send(new RemediationPlanned(plan.remediationId(), plan.requestId(), x.tenant(), RemediationMode.PLAN,
                excludeListPlan(plan, x.breakGlass(), MODIFIED), null, Instant.now(), 1));
        awaitStatus(x.remediationId(), "PLANNED");
        approver().body("{}").post("/api/v1/remediations/" + x.remediationId() + "/approve").then().statusCode(200);
        RemediationRequested apply = requests(x.remediationId(), 2).get(1);
        RemediationPlan newer = excludeListPlan(plan, x.breakGlass(), "2026-11-02T09:00:00Z");
        RemediationPlanned replan = new RemediationPlanned(apply.remediationId(), apply.requestId(), x.tenant(),
                RemediationMode.APPLY, newer, "modifiedDateTime " + MODIFIED + " → 2026-11-02T09:00:00Z", Instant.now(), 2);
        send(replan);
        awaitStatus(x.remediationId(), "PLANNED");
        JsonPath r = remediation(x.remediationId());
        assertThat(r.getString("plan.policyModifiedDateTime")).isEqualTo("2026-11-02T09:00:00Z");
        assertThat(r.getString("approvedBy")).isNull();
        assertThat(r.getList("history.action")).contains("REMEDIATION_REPLANNED");
        as(APPROVER_2, "approver").body("{}").post("/api/v1/remediations/" + x.remediationId() + "/approve").then()
                .statusCode(200);
        assertThat(requests(x.remediationId(), 3).get(2).expectedModifiedDateTime()).isEqualTo("2026-11-02T09:00:00Z");

        // The answer to the first APPLY again (a new event: the scanner answered twice): not the pending request, ignored.
        long audits = auditCount(x.remediationId());
        send(replan);
        alertsSoFar(x.tenant());
        assertThat(remediation(x.remediationId()).getString("status")).isEqualTo("APPLYING");
        assertThat(auditCount(x.remediationId())).isEqualTo(audits);
    }

    @Test
    void aManualPlanIsTrackedUntilAScanNoLongerFindsTheExclusionAndBreakGlassRoutesAreProtected() {
        String tenant = newTenant();
        tenant(tenant, Map.of("enforcementEnabled", true, "groupMembershipRemoval", true));
        String policy = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        String breakGlass = UUID.randomUUID().toString();
        String breakGlassGroup = UUID.randomUUID().toString();
        UUID scan = UUID.randomUUID();
        Instant start = Instant.now().minusSeconds(5);
        send(user(scan, tenant, policy, user, start.plusSeconds(1)));
        send(viaGroup(scan, tenant, policy, breakGlassGroup, breakGlass, start.plusSeconds(1)));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 2, start));
        await().atMost(Duration.ofSeconds(30)).until(() -> reader().get("/api/v1/exclusions?tenantId=" + tenant)
                .then().extract().jsonPath().getList("items").size() == 2);
        approvedException(tenant, "BREAK_GLASS", breakGlass, 300);
        String exception = approvedException(tenant, "OTHER", user, 20).getKey();

        String id = as(APPROVER, "approver").post("/api/v1/exceptions/" + exception + "/retire").then().statusCode(202)
                .extract().jsonPath().getString("[0].id");
        RemediationRequested q = requests(id, 1).get(0);
        assertThat(q.protectedIds()).as("the break-glass account and the group it is excluded through")
                .contains(breakGlass, breakGlassGroup).doesNotContain(user);
        assertThat(q.groupMembershipAllowed()).isTrue();

        RemediationPlan manual = new RemediationPlan(PlanKind.MANUAL, policy, "Require MFA for all users", MODIFIED,
                null, null, null, user, null, null,
                List.of("Entra admin center > Protection > Conditional Access > 'Require MFA for all users'",
                        "Users > Exclude: remove " + user), "excluded through a role: never written by mfagov");
        send(new RemediationPlanned(q.remediationId(), q.requestId(), tenant, RemediationMode.PLAN, manual, null,
                Instant.now(), 1));
        awaitStatus(id, "MANUAL");
        as(APPROVER_2, "approver").body("{}").post("/api/v1/remediations/" + id + "/approve").then().statusCode(409)
                .contentType("application/problem+json");
        List<AlertRaised> planned = alerts(tenant, as -> as.stream().anyMatch(a -> a.kind() == AlertKind.REMEDIATION_PLANNED));
        assertThat(planned).filteredOn(a -> a.kind() == AlertKind.REMEDIATION_PLANNED).singleElement()
                .satisfies(a -> assertThat(a.facts().get("Steps")).contains("remove " + user));

        // A person removed it; the next complete scan finds only the break-glass exclusion.
        UUID next = UUID.randomUUID();
        Instant nextStart = Instant.now();
        send(viaGroup(next, tenant, policy, breakGlassGroup, breakGlass, nextStart.plusSeconds(1)));
        send(completed(next, tenant, ScanStatus.COMPLETE, 1, nextStart));
        awaitStatus(id, "CONFIRMED");
        assertThat(remediation(id).getString("confirmedAt")).isNotNull();
    }

    @Test
    void enforcementSettingsAreAdminOnlyCheckedAndKeptWhenAPutLeavesThemOut() {
        String tenant = newTenant();
        tenant(tenant, Map.of("enforcementEnabled", true, "autoApplyExpiry", true, "enforcementGraceDays", 3));
        reader().get("/api/v1/tenants/" + tenant).then().statusCode(200).body("enforcementEnabled", is(true))
                .body("autoApplyExpiry", is(true)).body("groupMembershipRemoval", is(false))
                .body("enforcementGraceDays", is(3)).body("enforcementStatus", is("UNKNOWN"));
        as(APPROVER, "approver").body(Map.of("displayName", "Fabrikam", "enforcementEnabled", false))
                .put("/api/v1/tenants/" + tenant).then().statusCode(403);
        admin().body(Map.of("displayName", "Fabrikam", "enforcementGraceDays", 400)).put("/api/v1/tenants/" + tenant)
                .then().statusCode(400).contentType("application/problem+json").body("field", is("enforcementGraceDays"));
        admin().body(Map.of("displayName", "Fabrikam renamed")).put("/api/v1/tenants/" + tenant).then().statusCode(200)
                .body("enforcementEnabled", is(true)).body("autoApplyExpiry", is(true)).body("enforcementGraceDays", is(3));
        admin().body(Map.of("displayName", "Fabrikam", "enforcementEnabled", false)).put("/api/v1/tenants/" + tenant)
                .then().statusCode(200).body("enforcementEnabled", is(false));
    }
}
