package io.mfagov.scanner;

import io.mfagov.devstack.testing.EntraTestTokens;
import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.OpenApiSecurity;
import io.mfagov.model.EventCodec;
import io.mfagov.model.Topics;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.scanner.support.BootstrapKeyResource;
import io.mfagov.scanner.support.GraphSimulatorResource;
import io.mfagov.scanner.support.TestTenants;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The scanner's API as a caller meets it: Entra ID v1 and v2 access tokens, the bootstrap key's actor, 401 and 403
 * as problem+json, and an OpenAPI document naming the roles of every operation under both schemes.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(GraphSimulatorResource.class)
@WithTestResource(EntraTestTokens.class)
@WithTestResource(BootstrapKeyResource.class)
class ScannerSecurityTest {

    private static final String BODY = "{\"tenantIds\":[\"" + TestTenants.EMPTY + "\"]}";
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(KafkaTestResource.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static ScanRequested published(String requestId) {
        return kafka.readUntil(Topics.SCAN_REQUESTS, Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> r.value().contains(requestId)))
                .stream().filter(r -> r.value().contains(requestId)).findFirst()
                .map(r -> EventCodec.get().decode(r.value(), ScanRequested.class).payload())
                .orElseThrow(() -> new AssertionError("request not published"));
    }

    @Test
    void aScanRequestedWithTheBootstrapKeyIsRecordedAsApikeyBootstrapAdmin() {
        String requestId = given().header("X-API-Key", BootstrapKeyResource.key()).contentType(ContentType.JSON).body(BODY)
                .post("/api/v1/scans").then().statusCode(202).extract().path("scans[0].requestId");
        assertThat(published(requestId).requestedBy()).isEqualTo("apikey:bootstrap-admin");
    }

    @Test
    void entraV1AndV2AccessTokensAreAcceptedWithTheirAppRolesAndTheCallerIsTheObjectId() {
        String v1 = UUID.randomUUID().toString();
        String requestId = given().header("Authorization", EntraTestTokens.v1User(v1, "rita@msp.example")
                        .roles("Mfagov.Requester").bearer()).contentType(ContentType.JSON).body(BODY)
                .post("/api/v1/scans").then().statusCode(202).extract().path("scans[0].requestId");
        assertThat(published(requestId).requestedBy()).isEqualTo(v1);

        String v2 = UUID.randomUUID().toString();
        requestId = given().header("Authorization", EntraTestTokens.v2App(v2).roles("MFAGOV.ADMIN").bearer())
                .contentType(ContentType.JSON).body(BODY)
                .post("/api/v1/scans").then().statusCode(202).extract().path("scans[0].requestId");
        assertThat(published(requestId).requestedBy()).isEqualTo(v2);
    }

    @Test
    void tokensForAnotherAudienceTenantOrIssuerAreRefusedWithAProblem() {
        for (String bearer : new String[] {
                EntraTestTokens.v2User(UUID.randomUUID().toString(), "ada@msp.example").roles("Mfagov.Admin")
                        .audience("api://another-api").bearer(),
                EntraTestTokens.v2User(UUID.randomUUID().toString(), "eve@other.example").roles("Mfagov.Admin")
                        .ofTenant(EntraTestTokens.OTHER_TENANT).bearer(),
                EntraTestTokens.v1User(UUID.randomUUID().toString(), "eve@msp.example").roles("Mfagov.Admin")
                        .issuer("https://sts.windows.net/" + EntraTestTokens.OTHER_TENANT + "/").bearer()}) {
            given().header("Authorization", bearer).contentType(ContentType.JSON).body(BODY).post("/api/v1/scans")
                    .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
        }
    }

    @Test
    void withoutCredentialsA401ProblemKeepsTheChallengeAndATooLowRoleGetsA403Problem() {
        given().contentType(ContentType.JSON).body(BODY).post("/api/v1/scans").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
        given().header("X-API-Key", "mfg_not-a-key").contentType(ContentType.JSON).body(BODY).post("/api/v1/scans")
                .then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
        given().header("Authorization", EntraTestTokens.v2User(UUID.randomUUID().toString(), "rob@msp.example")
                        .roles("Mfagov.Reader").bearer()).contentType(ContentType.JSON).body(BODY).post("/api/v1/scans")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
    }

    @Test
    void everyApiOperationInTheOpenApiDocumentNamesItsRolesUnderBothSchemes() {
        OpenApiSecurity openApi = OpenApiSecurity.of(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        assertThat(openApi.apiOperations()).containsEntry("POST /api/v1/scans", java.util.List.of("requester"));
        assertThat(openApi.faults()).isEmpty();
    }
}
