package io.mfagov.notifier;

import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.notifier.support.NotifierTestResource;
import io.mfagov.notifier.support.RecordingSink;
import io.mfagov.notifier.support.Tokens;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(NotifierTestResource.class)
class ApiTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void withoutCredentialsTheApiAnswers401AndARoleTooLowGets403() {
        given().get("/api/v1/deliveries").then().statusCode(401);
        given().header("Authorization", "Bearer not.a.token").get("/api/v1/deliveries").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.tokenFromIssuer("https://other-issuer.example", "mallory", "admin"))
                .get("/api/v1/destinations").then().statusCode(401);
        given().header("Authorization", Tokens.reader()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "type", "WEBHOOK", "url", sink.url("/x")))
                .post("/api/v1/destinations").then().statusCode(403);
        given().header("Authorization", Tokens.reader()).post("/api/v1/dead-letters/retry").then().statusCode(403);
        given().header("Authorization", Tokens.approver()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "type", "WEBHOOK", "url", sink.url("/x")))
                .post("/api/v1/destinations").then().statusCode(403);
        given().header("Authorization", Tokens.reader()).get("/api/v1/deliveries").then().statusCode(200);
    }

    @Test
    void a401IsAProblemThatKeepsTheChallengeAndA403IsAProblemToo() {
        for (var request : List.of(given(), given().header("X-API-Key", "mfg_not-a-key"),
                given().header("Authorization", "Bearer not.a.token"))) {
            request.get("/api/v1/deliveries").then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                    .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
        }
        given().header("Authorization", Tokens.reader()).post("/api/v1/dead-letters/retry").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403)).body("title", equalTo("Forbidden"));
    }

    @Test
    void everyApiOperationInTheOpenApiDocumentNamesItsRolesUnderBothSchemes() {
        var openApi = io.mfagov.devstack.testing.OpenApiSecurity.of(
                given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        assertThat(openApi.apiOperations())
                .containsEntry("POST /api/v1/api-keys", List.of("admin"))
                .containsEntry("POST /api/v1/api-keys/{id}/revoke", List.of("admin"))
                .containsEntry("POST /api/v1/destinations", List.of("admin"))
                .containsEntry("POST /api/v1/mutes", List.of("approver"))
                .containsEntry("GET /api/v1/deliveries", List.of("reader"));
        // support.UnannotatedTestResource (tests only) names no role on purpose: it is denied to everyone.
        assertThat(openApi.faults()).filteredOn(f -> !f.startsWith("GET /api/v1/test-only/unannotated:")).isEmpty();
    }

    @Test
    void anApiKeyCreatedByAnAdminIsShownOnceWorksWithItsRolesAndStopsWorkingWhenRevoked() {
        var created = given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "Autotask-" + java.util.UUID.randomUUID(), "roles", List.of("reader")))
                .post("/api/v1/api-keys").then().statusCode(201).extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("apiKey.id");
        assertThat(key).startsWith("mfg_");
        assertThat(given().header("Authorization", Tokens.admin()).get("/api/v1/api-keys").asString()).doesNotContain(key);

        given().header("X-API-Key", key).get("/api/v1/deliveries").then().statusCode(200);
        given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "type", "WEBHOOK", "url", sink.url("/x")))
                .post("/api/v1/destinations").then().statusCode(403);
        given().header("Authorization", Tokens.admin()).post("/api/v1/api-keys/" + id + "/revoke").then().statusCode(200)
                .body("revokedBy", equalTo("alice.admin@msp.example"));
        given().header("X-API-Key", key).get("/api/v1/deliveries").then().statusCode(401);
        given().header("Authorization", Tokens.admin()).post("/api/v1/api-keys/" + id + "/revoke").then().statusCode(409);
    }

    @Test
    void anApiKeyNameIsNeverReusedNotEvenAfterRevocationAndBootstrapAdminIsReserved() {
        String name = "Halo-" + java.util.UUID.randomUUID();
        String id = given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "roles", List.of("reader")))
                .post("/api/v1/api-keys").then().statusCode(201).extract().jsonPath().getString("apiKey.id");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name.toUpperCase(java.util.Locale.ROOT), "roles", List.of("reader")))
                .post("/api/v1/api-keys").then().statusCode(409).body("field", equalTo("name"));
        given().header("Authorization", Tokens.admin()).post("/api/v1/api-keys/" + id + "/revoke").then().statusCode(200);

        // Revoked, the name still stands for that key in every record it left: a new key may not take it.
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "roles", List.of("admin")))
                .post("/api/v1/api-keys").then().statusCode(409).body("field", equalTo("name"))
                .body("detail", containsString("never reused"));
        for (String reserved : List.of("bootstrap-admin", "Bootstrap-Admin")) {
            given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", reserved, "roles", List.of("reader")))
                    .post("/api/v1/api-keys").then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("name")).body("detail", containsString("reserved"));
        }
    }

    @Test
    void aWriteMadeWithANamedApiKeyRecordsTheActorApikeyColonName() {
        String name = "halo-psa-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String key = given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "roles", List.of("admin")))
                .post("/api/v1/api-keys").then().statusCode(201).body("apiKey.createdBy", equalTo("alice.admin@msp.example"))
                .extract().jsonPath().getString("key");

        String destination = given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("name", "PSA webhook", "tenantId", newTenant(), "type", "WEBHOOK", "url", sink.url("/psa")))
                .post("/api/v1/destinations").then().statusCode(201)
                .body("destination.createdBy", equalTo("apikey:" + name)).extract().jsonPath().getString("destination.id");
        given().header("Authorization", Tokens.reader()).get("/api/v1/destinations/" + destination).then().statusCode(200)
                .body("createdBy", equalTo("apikey:" + name)).body("updatedBy", equalTo("apikey:" + name));
        given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("tenantId", newTenant(), "until", Instant.now().plus(Duration.ofHours(1)).toString(), "reason", "maintenance"))
                .post("/api/v1/mutes").then().statusCode(201).body("createdBy", equalTo("apikey:" + name));
        String other = given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name + "-2", "roles", List.of("reader")))
                .post("/api/v1/api-keys").then().statusCode(201).extract().jsonPath().getString("apiKey.id");
        given().header("X-API-Key", key).post("/api/v1/api-keys/" + other + "/revoke").then().statusCode(200)
                .body("revokedBy", equalTo("apikey:" + name));
    }

    @Test
    void anEndpointWithoutARoleAnnotationIsDeniedEvenToAnAdmin() {
        // support.UnannotatedTestResource exists in tests only and declares no role.
        given().header("Authorization", Tokens.admin()).get("/api/v1/test-only/unannotated").then().statusCode(403);
    }

    @Test
    void destinationsCanBeCreatedReadReplacedAndDeleted() {
        String tenant = newTenant();
        String id = createDestination(Map.of("name", "Ops channel", "tenantId", tenant, "type", "TEAMS_WORKFLOW",
                "url", sink.url("/teams"), "kinds", List.of("SCAN_FAILED", "UNAPPROVED_EXCLUSION"), "minSeverity", "LOW"))
                .getString("destination.id");

        given().header("Authorization", Tokens.reader()).get("/api/v1/destinations/" + id).then().statusCode(200)
                .body("name", equalTo("Ops channel")).body("kinds.size()", equalTo(2)).body("createdBy", equalTo("alice.admin@msp.example"));
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "Ops channel (renamed)", "tenantId", tenant, "minSeverity", "HIGH", "enabled", false))
                .put("/api/v1/destinations/" + id).then().statusCode(200)
                .body("name", equalTo("Ops channel (renamed)")).body("enabled", equalTo(false))
                .body("kinds.size()", equalTo(0)).body("url", equalTo(sink.url("/teams")));
        given().header("Authorization", Tokens.reader()).get("/api/v1/destinations?tenantId=" + tenant).then().statusCode(200)
                .body("size()", equalTo(1));
        given().header("Authorization", Tokens.admin()).delete("/api/v1/destinations/" + id).then().statusCode(204);
        given().header("Authorization", Tokens.reader()).get("/api/v1/destinations/" + id).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aTestMessageReachesTheDestinationAndReportsTheOutcome() {
        String tenant = newTenant();
        var webhook = webhook(tenant, sink.url("/psa"));
        String teams = teams(tenant, sink.url("/teams"));

        given().header("Authorization", Tokens.admin()).post("/api/v1/destinations/" + webhook.getString("destination.id") + "/test")
                .then().statusCode(200).body("delivered", equalTo(true)).body("statusCode", equalTo(200));
        sink.then(RecordingSink.Answer.status(500));
        given().header("Authorization", Tokens.admin()).post("/api/v1/destinations/" + teams + "/test")
                .then().statusCode(200).body("delivered", equalTo(false)).body("statusCode", equalTo(500));

        RecordingSink.Received signed = sink.all().get(0);
        assertThat(io.mfagov.notifier.support.PsaSignatureVerifier.verify(webhook.getString("secret"),
                signed.header("X-Mfagov-Timestamp"), signed.header("X-Mfagov-Signature"), signed.body(), Instant.now(),
                Duration.ofMinutes(5))).isTrue();
        assertThat(sink.all().get(1).bodyText()).contains("AdaptiveCard");
    }

    @Test
    void badInputIsA400ProblemNamingTheField() {
        String tenant = newTenant();
        bad(Map.of("name", "x", "type", "WEBHOOK", "url", sink.url("/x"), "colour", "red"), "colour");
        bad(Map.of("name", "x", "type", "PIGEON", "url", sink.url("/x")), "type");
        bad(Map.of("type", "WEBHOOK", "url", sink.url("/x")), "name");
        bad(Map.of("name", "x", "url", sink.url("/x")), "type");
        bad(Map.of("name", "x", "type", "WEBHOOK"), "url");
        bad(Map.of("name", "x", "type", "WEBHOOK", "url", sink.url("/x"), "tenantId", "contoso"), "tenantId");
        bad(Map.of("name", "x", "type", "WEBHOOK", "url", sink.url("/x"), "kinds", List.of("EXPIRING", "NOPE")), "kinds[1]");
        bad(Map.of("name", "x", "type", "WEBHOOK", "url", sink.url("/x"), "minSeverity", "URGENT"), "minSeverity");
        bad(Map.of("name", "x", "type", "WEBHOOK", "url", sink.url("/x"), "secret", "short"), "secret");
        bad(Map.of("name", "x", "type", "TEAMS_WORKFLOW", "url", sink.url("/x"), "secret", "a-long-enough-secret-value"), "secret");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"name\": ")
                .post("/api/v1/destinations").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.reader()).get("/api/v1/deliveries?status=LOST").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("status"));
        given().header("Authorization", Tokens.reader()).get("/api/v1/deliveries?limit=0").then().statusCode(400)
                .body("field", equalTo("limit"));
        given().header("Authorization", Tokens.reader()).get("/api/v1/deliveries?destinationId=abc").then().statusCode(400)
                .body("field", equalTo("destinationId"));
        given().header("Authorization", Tokens.reader()).get("/api/v1/destinations/not-a-uuid").then().statusCode(400)
                .body("field", equalTo("id"));
        given().header("Authorization", Tokens.reader()).get("/api/v1/deliveries/" + java.util.UUID.randomUUID()).then()
                .statusCode(404).contentType("application/problem+json");

        createDestination(Map.of("name", "Twice", "tenantId", tenant, "type", "WEBHOOK", "url", sink.url("/x")));
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "twice", "tenantId", tenant, "type", "WEBHOOK", "url", sink.url("/x")))
                .post("/api/v1/destinations").then().statusCode(409).contentType("application/problem+json");
    }

    private static void bad(Map<String, Object> body, String field) {
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/destinations").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo(field)).body("detail", containsString(field.replaceAll("\\[.*", "")));
    }
}
