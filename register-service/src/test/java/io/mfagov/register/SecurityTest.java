package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** 401 without (valid) credentials, 403 for the wrong role, per role; API keys. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class SecurityTest {

    private static RequestSpecification anonymous() {
        return RestAssured.given().contentType(ContentType.JSON);
    }

    @Test
    void everyApiEndpointRefusesRequestsWithoutCredentials() {
        for (String path : List.of("/api/v1/tenants", "/api/v1/exclusions", "/api/v1/exceptions", "/api/v1/audit/events",
                "/api/v1/audit/verify", "/api/v1/reports/exclusions.csv", "/api/v1/api-keys", "/api/v1/coverage",
                "/api/v1/coverage.csv", "/api/v1/uncovered-users.csv", "/api/v1/tenants/" + newTenant() + "/coverage")) {
            anonymous().get(path).then().statusCode(401);
        }
        anonymous().body("{}").post("/api/v1/exceptions").then().statusCode(401);
        anonymous().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void a401IsAProblemThatKeepsTheChallengeAndA403IsAProblemToo() {
        for (var request : List.of(anonymous(), RestAssured.given().header("X-API-Key", "mfg_not-a-key"),
                RestAssured.given().auth().oauth2(TestTokens.foreignToken(ADMIN, "admin")))) {
            request.get("/api/v1/tenants").then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer")).body("status", is(401))
                    .body("title", is("Unauthorized")).body("detail", org.hamcrest.Matchers.notNullValue());
        }
        reader().body(Map.of("tenantId", newTenant())).post("/api/v1/tenants").then().statusCode(403)
                .contentType("application/problem+json").body("status", is(403)).body("title", is("Forbidden"));
    }

    @Test
    void everyApiOperationInTheOpenApiDocumentNamesItsRolesUnderBothSchemes() {
        var openApi = io.mfagov.devstack.testing.OpenApiSecurity.of(
                anonymous().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        org.assertj.core.api.Assertions.assertThat(openApi.apiOperations())
                .containsEntry("POST /api/v1/api-keys", List.of("admin"))
                .containsEntry("POST /api/v1/api-keys/{id}/revoke", List.of("admin"))
                .containsEntry("GET /api/v1/exclusions", List.of("reader"))
                .containsEntry("GET /api/v1/coverage", List.of("reader"))
                .containsEntry("GET /api/v1/coverage.csv", List.of("reader"))
                .containsEntry("GET /api/v1/uncovered-users.csv", List.of("reader"))
                .containsEntry("GET /api/v1/tenants/{tenantId}/coverage", List.of("reader"))
                .hasSizeGreaterThan(15);
        org.assertj.core.api.Assertions.assertThat(openApi.faults()).isEmpty();
    }

    @Test
    void aTokenSignedByAnUntrustedKeyIsRefused() {
        RestAssured.given().auth().oauth2(TestTokens.foreignToken(ADMIN, "admin")).get("/api/v1/tenants").then().statusCode(401);
    }

    @Test
    void aReaderReadsButCannotWrite() {
        reader().get("/api/v1/tenants").then().statusCode(200);
        reader().get("/api/v1/exclusions").then().statusCode(200);
        reader().body(Map.of("tenantId", newTenant())).post("/api/v1/tenants").then().statusCode(403)
                .contentType("application/problem+json");
        reader().body("{}").post("/api/v1/exceptions").then().statusCode(403);
        reader().body("{}").post("/api/v1/exceptions/" + UUID.randomUUID() + "/approve").then().statusCode(403);
    }

    @Test
    void aRequesterRequestsButCannotApproveOrAdminister() {
        String tenant = newTenant();
        createTenant(tenant);
        requester().post("/api/v1/tenants/" + tenant + "/scans").then().statusCode(202);
        requester().body("{}").post("/api/v1/exceptions/" + UUID.randomUUID() + "/approve").then().statusCode(403);
        requester().body("{}").post("/api/v1/exceptions/" + UUID.randomUUID() + "/revoke").then().statusCode(403);
        requester().body("{}").post("/api/v1/exceptions/" + UUID.randomUUID() + "/review").then().statusCode(403);
        requester().body(Map.of("tenantId", newTenant())).post("/api/v1/tenants").then().statusCode(403);
        requester().get("/api/v1/api-keys").then().statusCode(403);
    }

    @Test
    void anApproverDecidesButCannotAdminister() {
        approver().body("{}").post("/api/v1/exceptions/" + UUID.randomUUID() + "/approve").then().statusCode(404);
        approver().body(Map.of("tenantId", newTenant())).post("/api/v1/tenants").then().statusCode(403);
        approver().body(Map.of("name", "x", "roles", List.of("reader"))).post("/api/v1/api-keys").then().statusCode(403);
    }

    @Test
    void anAdminDoesEverythingAndEveryWriteRecordsItsActor() {
        String tenant = newTenant();
        admin().body(Map.of("tenantId", tenant, "displayName", "Fabrikam")).post("/api/v1/tenants").then()
                .statusCode(201).body("createdBy", is(ADMIN));
        admin().get("/api/v1/audit/events?tenantId=" + tenant + "&actor=" + ADMIN).then().statusCode(200)
                .body("action", org.hamcrest.Matchers.hasItem("TENANT_CREATED"));
        admin().body("{}").post("/api/v1/exceptions/" + UUID.randomUUID() + "/approve").then().statusCode(404);
    }

    @Test
    void anApiKeyIsShownOnceWorksWithItsRolesAndStopsWorkingWhenRevoked() {
        String name = "psa-" + UUID.randomUUID().toString().substring(0, 8);
        var created = admin().body(Map.of("name", name, "roles", List.of("requester")))
                .post("/api/v1/api-keys").then().statusCode(201).body("key", startsWith("mfg_")).extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("apiKey.id");
        admin().get("/api/v1/api-keys").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.key", nullValue())
                .body(not(org.hamcrest.Matchers.containsString(key)));

        String tenant = newTenant();
        createTenant(tenant);
        RestAssured.given().header("X-API-Key", key).get("/api/v1/tenants/" + tenant).then().statusCode(200);
        RestAssured.given().header("X-API-Key", key).post("/api/v1/tenants/" + tenant + "/scans").then().statusCode(202);
        admin().get("/api/v1/audit/events?tenantId=" + tenant + "&actor=apikey:" + name).then()
                .body("action", org.hamcrest.Matchers.hasItem("SCAN_REQUESTED"));
        RestAssured.given().header("X-API-Key", key).contentType(ContentType.JSON).body(Map.of("tenantId", newTenant()))
                .post("/api/v1/tenants").then().statusCode(403);

        admin().post("/api/v1/api-keys/" + id + "/revoke").then().statusCode(200);
        RestAssured.given().header("X-API-Key", key).get("/api/v1/tenants/" + tenant).then().statusCode(401);
        RestAssured.given().header("X-API-Key", "mfg_not-a-key").get("/api/v1/tenants").then().statusCode(401);
    }

    @Test
    void writesMadeWithANamedApiKeyAreInTheAuditTrailAsApikeyColonName() {
        String name = "autotask-" + UUID.randomUUID().toString().substring(0, 8);
        String key = admin().body(Map.of("name", name, "roles", List.of("admin")))
                .post("/api/v1/api-keys").then().statusCode(201).extract().jsonPath().getString("key");

        String tenant = newTenant();
        RestAssured.given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("tenantId", tenant, "displayName", "Wingtip")).post("/api/v1/tenants").then()
                .statusCode(201).body("createdBy", is("apikey:" + name));
        String other = RestAssured.given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("name", name + "-psa", "roles", List.of("reader"))).post("/api/v1/api-keys").then()
                .statusCode(201).body("apiKey.createdBy", is("apikey:" + name)).extract().jsonPath().getString("apiKey.id");
        RestAssured.given().header("X-API-Key", key).post("/api/v1/api-keys/" + other + "/revoke").then()
                .statusCode(200).body("revokedBy", is("apikey:" + name));

        var trail = admin().get("/api/v1/audit/events?actor=apikey:" + name + "&limit=1000").then().statusCode(200)
                .extract().jsonPath();
        org.assertj.core.api.Assertions.assertThat(trail.getList("action", String.class))
                .contains("TENANT_CREATED", "API_KEY_CREATED", "API_KEY_REVOKED");
        org.assertj.core.api.Assertions.assertThat(trail.getList("actor", String.class)).containsOnly("apikey:" + name);
        admin().get("/api/v1/audit/events?actor=apikey:apikey:" + name).then().statusCode(200).body("size()", is(0));
    }

    @Test
    void noNamedApiKeyCanPassForTheBootstrapKey() {
        for (String name : List.of("bootstrap-admin", "Bootstrap-Admin", " bootstrap-admin ")) {
            admin().body(Map.of("name", name, "roles", List.of("reader"))).post("/api/v1/api-keys").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("field", org.hamcrest.Matchers.is("name"))
                    .body("detail", org.hamcrest.Matchers.containsString("reserved"));
        }
        admin().get("/api/v1/api-keys").then().statusCode(200)
                .body("name", not(org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.equalToIgnoringCase("bootstrap-admin"))));
    }
}
