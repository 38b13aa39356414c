package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Client mistakes get 400 naming the field, 404 or 409 as problem+json — never a 500. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class BadInputTest {

    private static final String PROBLEM = "application/problem+json";

    private static Map<String, Object> validRequest(String tenant) {
        Map<String, Object> body = new HashMap<>();
        body.put("tenantId", tenant);
        body.put("category", "OTHER");
        body.put("justification", "temporary");
        body.put("expiresAt", inDays(5));
        body.put("principals", List.of(Map.of("id", UUID.randomUUID().toString(), "type", "USER")));
        return body;
    }

    @Test
    void tenantsRefuseMalformedGuidsTooShortIntervalsAndUnknownFields() {
        admin().body(Map.of("tenantId", "not-a-guid")).post("/api/v1/tenants").then().statusCode(400)
                .contentType(PROBLEM).body("field", is("tenantId"));
        admin().body(Map.of("tenantId", newTenant(), "scanIntervalMinutes", 5)).post("/api/v1/tenants").then()
                .statusCode(400).body("field", is("scanIntervalMinutes"));
        admin().body(Map.of("tenantId", newTenant(), "colour", "blue")).post("/api/v1/tenants").then()
                .statusCode(400).contentType(PROBLEM).body("field", is("colour")).body("detail", containsString("unknown field"));
        admin().body(Map.of("tenantId", newTenant(), "scanIntervalMinutes", "often")).post("/api/v1/tenants").then()
                .statusCode(400).body("field", is("scanIntervalMinutes"));
        admin().body("{\"tenantId\": ").post("/api/v1/tenants").then().statusCode(400).contentType(PROBLEM);
        admin().get("/api/v1/tenants/not-a-guid").then().statusCode(400).body("field", is("tenantId"));
        admin().get("/api/v1/tenants/" + newTenant()).then().statusCode(404).contentType(PROBLEM);
        String tenant = newTenant();
        createTenant(tenant);
        admin().body(Map.of("tenantId", tenant)).post("/api/v1/tenants").then().statusCode(409).contentType(PROBLEM);
        admin().post("/api/v1/tenants/" + newTenant() + "/scans").then().statusCode(404);
    }

    @Test
    void exceptionRequestsNameTheFieldAtFault() {
        String tenant = newTenant();
        createTenant(tenant);
        Map<String, Object> body = validRequest(tenant);
        body.put("category", "FOREVER");
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("category"));

        body = validRequest(tenant);
        body.put("principals", List.of(Map.of("id", UUID.randomUUID().toString(), "type", "ROBOT")));
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).contentType(PROBLEM)
                .body("field", is("principals[0].type")).body("detail", containsString("ROBOT"));

        body = validRequest(tenant);
        body.put("principals", List.of(Map.of("id", "abc", "type", "USER")));
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("principals[0].id"));

        body = validRequest(tenant);
        body.put("expiresAt", inDays(-1));
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("expiresAt"))
                .body("detail", containsString("future"));

        body = validRequest(tenant);
        body.put("expiresAt", "next tuesday");
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("expiresAt"));

        body = validRequest(tenant);
        body.remove("justification");
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("justification"));

        body = validRequest(tenant);
        body.put("justification", "x".repeat(4001));
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("justification"));

        body = validRequest(tenant);
        body.put("status", "APPROVED");
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("status"));

        body = validRequest(newTenant());
        requester().body(body).post("/api/v1/exceptions").then().statusCode(400).body("field", is("tenantId"));

        requester().body("[]").post("/api/v1/exceptions").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        Map<String, Object> body = validRequest(newTenant());
        body.put("justification", "x".repeat(300 * 1024));
        requester().body(body).post("/api/v1/exceptions").then().statusCode(413);
    }

    @Test
    void transitionsRefuseUnknownAndMalformedIdsAndMissingReasons() {
        approver().body("{}").post("/api/v1/exceptions/" + UUID.randomUUID() + "/approve").then().statusCode(404)
                .contentType(PROBLEM);
        approver().body("{}").post("/api/v1/exceptions/12345/approve").then().statusCode(400).body("field", is("id"));
        approver().body("{}").post("/api/v1/exceptions/" + UUID.randomUUID() + "/revoke").then().statusCode(400)
                .body("field", is("reason"));
        approver().body(Map.of("notes", "ok", "extra", 1)).post("/api/v1/exceptions/" + UUID.randomUUID() + "/approve")
                .then().statusCode(400).body("field", is("extra"));
        requester().body(Map.of("expiresAt", inDays(5))).post("/api/v1/exceptions/" + UUID.randomUUID() + "/renew")
                .then().statusCode(404);
        approver().body(Map.of("notes", "")).post("/api/v1/exceptions/" + UUID.randomUUID() + "/review").then()
                .statusCode(400).body("field", is("notes"));
    }

    @Test
    void queriesRefuseBadFiltersCursorsAndLimits() {
        reader().get("/api/v1/exclusions?status=SORT_OF").then().statusCode(400).body("field", is("status"));
        reader().get("/api/v1/exclusions?tenantId=xyz").then().statusCode(400).body("field", is("tenantId"));
        reader().get("/api/v1/exclusions?limit=0").then().statusCode(400).body("field", is("limit"));
        reader().get("/api/v1/exclusions?limit=ten").then().statusCode(400).body("field", is("limit"));
        reader().get("/api/v1/exclusions?cursor=garbage").then().statusCode(400).body("field", is("cursor"));
        reader().get("/api/v1/exclusions?sort=colour").then().statusCode(400).body("field", is("sort"));
        reader().get("/api/v1/exclusions?expiringWithinDays=soon").then().statusCode(400).body("field", is("expiringWithinDays"));
        reader().get("/api/v1/exclusions/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
        reader().get("/api/v1/exclusions/nope").then().statusCode(400).body("field", is("id"));
        reader().get("/api/v1/audit/events?from=yesterday").then().statusCode(400).body("field", is("from"));
        reader().get("/api/v1/exceptions?status=MAYBE").then().statusCode(400).body("field", is("status"));
        reader().get("/api/v1/reports/tenants/" + newTenant() + "/summary").then().statusCode(404);
        reader().get("/api/v1/nothing-here").then().statusCode(404);
    }
}
