package io.mfagov.register;

import io.mfagov.devstack.testing.EntraTestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.mfagov.devstack.testing.EntraTestTokens.OTHER_TENANT;
import static org.hamcrest.Matchers.equalTo;

/** Bearer tokens exactly as Entra ID issues them (v1 and v2), configured as docs/security.md says. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(EntraTestTokens.class)
class EntraTokenTest {

    private static String oid() {
        return UUID.randomUUID().toString();
    }

    private static void createTenantWith(String bearer, int expected) {
        RestAssured.given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Map.of("tenantId", UUID.randomUUID().toString(), "displayName", "Contoso"))
                .post("/api/v1/tenants").then().statusCode(expected);
    }

    @Test
    void aV1AccessTokenIsAcceptedWithItsAppRoles() {
        String approver = EntraTestTokens.v1User(oid(), "alan@msp.example").roles("Mfagov.Approver").bearer();
        RestAssured.given().header("Authorization", approver).get("/api/v1/tenants").then().statusCode(200);
        RestAssured.given().header("Authorization", approver).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/exceptions/" + UUID.randomUUID() + "/approve").then().statusCode(404);
        createTenantWith(approver, 403);
    }

    @Test
    void aV2AccessTokenIsAcceptedWithItsAppRolesAndTheCallerIsItsObjectId() {
        String oid = oid();
        String admin = EntraTestTokens.v2User(oid, "ada@msp.example").roles("Mfagov.Admin").bearer();
        RestAssured.given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(Map.of("tenantId", UUID.randomUUID().toString(), "displayName", "Fabrikam"))
                .post("/api/v1/tenants").then().statusCode(201).body("createdBy", equalTo(oid));
    }

    @Test
    void anAppOnlyV2TokenOfAPsaIsAcceptedWithItsAppRolesInAnyCase() {
        String reader = EntraTestTokens.v2App(oid()).roles("mfagov.reader").bearer();
        RestAssured.given().header("Authorization", reader).get("/api/v1/exclusions").then().statusCode(200);
        createTenantWith(reader, 403);
    }

    @Test
    void appRolesOfAnotherApplicationGrantNothing() {
        createTenantWith(EntraTestTokens.v2User(oid(), "eve@msp.example").roles("Other.Admin").bearer(), 403);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        refused(EntraTestTokens.v1User(oid(), "ada@msp.example").roles("Mfagov.Admin").audience("api://another-api").bearer());
        refused(EntraTestTokens.v2User(oid(), "ada@msp.example").roles("Mfagov.Admin").audience("00000003-0000-0000-c000-000000000000").bearer());
    }

    @Test
    void aTokenOfAnotherTenantIsRefused() {
        refused(EntraTestTokens.v2User(oid(), "eve@other.example").roles("Mfagov.Admin").ofTenant(OTHER_TENANT).bearer());
        refused(EntraTestTokens.v1User(oid(), "eve@other.example").roles("Mfagov.Admin").ofTenant(OTHER_TENANT).bearer());
        refused(EntraTestTokens.v2App(oid()).roles("Mfagov.Admin").tenant(OTHER_TENANT).bearer());
    }

    @Test
    void aV1TokenFromAnotherTenantsIssuerIsRefusedEvenWithOurTid() {
        refused(EntraTestTokens.v1User(oid(), "eve@msp.example").roles("Mfagov.Admin")
                .issuer("https://sts.windows.net/" + OTHER_TENANT + "/").bearer());
        refused(EntraTestTokens.v1User(oid(), "eve@msp.example").roles("Mfagov.Admin")
                .issuer("https://login.microsoftonline.com/" + EntraTestTokens.MSP_TENANT + "/v2.0").bearer());
    }

    private static void refused(String bearer) {
        RestAssured.given().header("Authorization", bearer).get("/api/v1/tenants").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401))
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
    }
}
