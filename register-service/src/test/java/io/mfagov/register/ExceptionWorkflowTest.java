package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.register.service.LifecycleJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/** The exception workflow over REST: four eyes, category rules, transitions, the daily job. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class ExceptionWorkflowTest {

    @Inject
    LifecycleJob lifecycle;

    @Inject
    EntityManager em;

    private static Map<String, Object> request(String tenant, String category, String expiresAt) {
        return Map.of("tenantId", tenant, "category", category, "justification", "vendor connector without modern auth",
                "ticketRef", "PSA-42", "expiresAt", expiresAt,
                "principals", List.of(Map.of("id", UUID.randomUUID().toString(), "type", "USER")));
    }

    private static String requested(String tenant, String category, int days) {
        return requester().body(request(tenant, category, inDays(days))).post("/api/v1/exceptions")
                .then().statusCode(201).body("status", is("REQUESTED")).body("requestedBy", is(REQUESTER))
                .extract().path("id");
    }

    @Test
    void approvalByTheRequesterIsRefused() {
        String tenant = newTenant();
        createTenant(tenant);
        String id = as(APPROVER, "approver").body(request(tenant, "LEGACY_APP", inDays(30)))
                .post("/api/v1/exceptions").then().statusCode(201).extract().path("id");

        as(APPROVER, "approver").body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("four eyes"));
        as(APPROVER_2, "approver").body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200)
                .body("status", is("APPROVED")).body("approvedBy", is(APPROVER_2)).body("approvedAt", notNullValue());
    }

    @Test
    void breakGlassNeedsAnAdminToApprove() {
        String tenant = newTenant();
        createTenant(tenant);
        String id = requested(tenant, "BREAK_GLASS", 300);
        approver().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(403)
                .body("detail", containsString("admin"));
        admin().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200)
                .body("status", is("APPROVED")).body("nextReviewAt", notNullValue());
    }

    @Test
    void aRequestBeyondTheCategoryMaximumIsRefusedWithTheReason() {
        String tenant = newTenant();
        createTenant(tenant);
        requester().body(request(tenant, "ADMIN_MIGRATION", inDays(31))).post("/api/v1/exceptions").then()
                .statusCode(400).contentType("application/problem+json").body("field", is("expiresAt"))
                .body("detail", containsString("maximum of 30 days for category ADMIN_MIGRATION"));
        requester().body(request(tenant, "BREAK_GLASS", inDays(366))).post("/api/v1/exceptions").then()
                .statusCode(400).body("detail", containsString("365"));
        requester().body(request(tenant, "ADMIN_MIGRATION", inDays(29))).post("/api/v1/exceptions").then().statusCode(201);
    }

    @Test
    void aCategoryThatRequiresATicketRefusesRequestsWithoutOne() {
        String tenant = newTenant();
        createTenant(tenant);
        Map<String, Object> body = new java.util.HashMap<>(request(tenant, "LEGACY_APP", inDays(10)));
        body.remove("ticketRef");
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("ticketRef"));
        body.put("category", "EXTERNAL_GUEST");
        requester().body(body).post("/api/v1/exceptions").then().statusCode(201);
    }

    @Test
    void approvingARevokedExceptionIsAConflict() {
        String tenant = newTenant();
        createTenant(tenant);
        String id = requested(tenant, "OTHER", 10);
        approver().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200);
        approver().body(Map.of("reason", "account retired")).post("/api/v1/exceptions/" + id + "/revoke").then()
                .statusCode(200).body("status", is("REVOKED")).body("decidedBy", is(APPROVER));
        as(APPROVER_2, "approver").body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("REVOKED"));
        approver().body(Map.of("reason", "again")).post("/api/v1/exceptions/" + id + "/revoke").then().statusCode(409);
    }

    @Test
    void aRejectedRequestCannotBeApprovedLater() {
        String tenant = newTenant();
        createTenant(tenant);
        String id = requested(tenant, "OTHER", 10);
        approver().body(Map.of("reason", "use a managed identity instead")).post("/api/v1/exceptions/" + id + "/reject")
                .then().statusCode(200).body("status", is("REJECTED")).body("decisionReason", containsString("managed identity"));
        approver().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(409);
    }

    @Test
    void aRenewalNeedsANewApprovalAndSupersedesTheOldException() {
        String tenant = newTenant();
        createTenant(tenant);
        String id = requested(tenant, "LEGACY_APP", 20);
        approver().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200);

        String renewal = requester().body(Map.of("expiresAt", inDays(80))).post("/api/v1/exceptions/" + id + "/renew")
                .then().statusCode(201).body("status", is("REQUESTED")).body("renewalOf", is(id)).extract().path("id");
        reader().get("/api/v1/exceptions/" + id).then().body("status", is("APPROVED"));
        requester().body(Map.of("expiresAt", inDays(80))).post("/api/v1/exceptions/" + id + "/renew").then().statusCode(409);
        requester().body("{}").post("/api/v1/exceptions/" + renewal + "/approve").then().statusCode(403);

        approver().body("{}").post("/api/v1/exceptions/" + renewal + "/approve").then().statusCode(200);
        reader().get("/api/v1/exceptions/" + id).then().body("status", is("SUPERSEDED"));
    }

    @Test
    void aReviewRecordsReviewerDateNotesAndTheNextReviewDate() {
        String tenant = newTenant();
        createTenant(tenant);
        String id = requested(tenant, "EXTERNAL_GUEST", 170);
        approver().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200);
        String next = inDays(45);
        approver().body(Map.of("notes", "still needed: partner tenant enforces MFA", "nextReviewAt", next))
                .post("/api/v1/exceptions/" + id + "/review").then().statusCode(200)
                .body("lastReviewedBy", is(APPROVER)).body("lastReviewedAt", notNullValue())
                .body("reviewerNotes", containsString("partner tenant")).body("nextReviewAt", is(next));
        reader().get("/api/v1/exceptions/" + id).then()
                .body("history.action", org.hamcrest.Matchers.hasItems("EXCEPTION_REQUESTED", "EXCEPTION_APPROVED", "EXCEPTION_REVIEWED"))
                .body("history.find { it.action == 'EXCEPTION_REVIEWED' }.actor", is(APPROVER));
    }

    @Test
    void theDailyJobWarnsAt14And3DaysExpiresAtExpiryAndFlagsReviewsDueOnce() {
        String tenant = newTenant();
        createTenant(tenant);
        String id = requested(tenant, "EXTERNAL_GUEST", 170);
        approver().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200);
        Instant expires = Instant.parse(reader().get("/api/v1/exceptions/" + id).then().extract().path("expiresAt"));

        lifecycle.run(expires.minus(13, ChronoUnit.DAYS));
        lifecycle.run(expires.minus(12, ChronoUnit.DAYS));
        lifecycle.run(expires.minus(2, ChronoUnit.DAYS));
        lifecycle.run(expires.plusSeconds(1));
        lifecycle.run(expires.plus(1, ChronoUnit.DAYS));

        List<String> alertIds = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "select o.dedupKey from OutboxMessage o where o.messageKey = :t and o.eventType = 'AlertRaised' order by o.id",
                        String.class).setParameter("t", tenant).getResultList());
        String day = expires.toString().substring(0, 10);
        assertThat(alertIds).contains("EXPIRING:" + id + ":T-14:" + day, "EXPIRING:" + id + ":T-3:" + day,
                "EXPIRED:" + id + ":" + day);
        assertThat(alertIds).filteredOn(a -> a.startsWith("REVIEW_DUE:" + id)).hasSize(1);
        assertThat(alertIds).doesNotHaveDuplicates();
        reader().get("/api/v1/exceptions/" + id).then().body("status", is("EXPIRED"));
    }

    @Test
    void reviewsDueListsApprovedExceptionsPastTheirReviewDate() {
        String tenant = newTenant();
        createTenant(tenant);
        String id = requested(tenant, "EXTERNAL_GUEST", 170);
        approver().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                "update ExceptionRecord x set x.nextReviewAt = :past where x.id = :id")
                .setParameter("past", Instant.now().minusSeconds(60)).setParameter("id", UUID.fromString(id)).executeUpdate());
        reader().get("/api/v1/exceptions/reviews-due?tenantId=" + tenant).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(id));
    }
}
