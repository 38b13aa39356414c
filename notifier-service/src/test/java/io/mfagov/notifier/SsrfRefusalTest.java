package io.mfagov.notifier;

import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.KafkaTestResource;
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
class SsrfRefusalTest extends NotifierTestBase {

    @Test
    void destinationsOutsideThePolicyAreRefusedWithAProblemNamingTheUrl() {
        for (String url : List.of("https://evil.example.com/hook", "http://contoso.webhook.office.com/x",
                "https://10.0.0.1/hook", "https://169.254.169.254/latest/meta-data", "https://[fd00::1]/x",
                "https://user:pw@contoso.webhook.office.com/x", "ftp://contoso.webhook.office.com/x", "not a url")) {
            given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", "x", "type", "WEBHOOK", "url", url, "tenantId", newTenant()))
                    .when().post("/api/v1/destinations")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("url")).body("status", equalTo(400));
        }
    }

    @Test
    void aTeamsWorkflowUrlIsAccepted() {
        String tenant = newTenant();
        String id = createDestination(Map.of("name", "Teams prod", "tenantId", tenant, "type", "TEAMS_WORKFLOW",
                "url", "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t"))
                .getString("destination.id");
        given().header("Authorization", Tokens.reader()).get("/api/v1/destinations/" + id)
                .then().statusCode(200)
                .body("url", equalTo("https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke"));
        given().header("Authorization", Tokens.admin()).delete("/api/v1/destinations/" + id).then().statusCode(204);
    }
}
