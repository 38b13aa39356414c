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
class MuteTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void aMutedTenantGetsNothingUntilTheMuteIsLifted() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        String mute = mute(Map.of("tenantId", tenant, "until", Instant.now().plus(Duration.ofDays(7)).toString(),
                "reason", "onboarding week"));
        AlertRaised muted = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(muted);
        assertThat(awaitDeliveryStatus(muted.alertId(), "MUTED")).containsEntry("muteId", mute);

        given().header("Authorization", Tokens.approver()).delete("/api/v1/mutes/" + mute).then().statusCode(204);
        AlertRaised after = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
        publish(after);
        awaitDeliveryStatus(after.alertId(), "DELIVERED");
        assertThat(sink.deliveredMentioning(muted.alertId())).isZero();
        assertThat(sink.delivered()).hasSize(1);
    }

    @Test
    void anExclusionOrAnAlertKindCanBeMutedAlone() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        AlertRaised breakGlass = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
        AlertRaised review = alert(tenant, AlertKind.REVIEW_DUE, Severity.LOW);
        AlertRaised other = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
        mute(Map.of("exclusionId", breakGlass.exclusionId(), "until", Instant.now().plus(Duration.ofDays(30)).toString()));
        mute(Map.of("tenantId", tenant, "kind", "REVIEW_DUE", "until", Instant.now().plus(Duration.ofDays(14)).toString()));

        publish(breakGlass);
        publish(review);
        publish(other);

        awaitDeliveryStatus(breakGlass.alertId(), "MUTED");
        awaitDeliveryStatus(review.alertId(), "MUTED");
        awaitDeliveryStatus(other.alertId(), "DELIVERED");
        assertThat(sink.delivered()).hasSize(1);
        given().header("Authorization", Tokens.reader()).get("/api/v1/mutes")
                .then().statusCode(200).body("findAll { it.tenantId == '" + tenant + "' }.size()", equalTo(1));
    }

    @Test
    void mutesWithoutScopeOrInThePastOrOfUnknownKindsAreRefused() {
        String future = Instant.now().plus(Duration.ofDays(1)).toString();
        badMute(Map.of("until", future), "tenantId");
        badMute(Map.of("tenantId", newTenant(), "until", "2020-01-01T00:00:00Z"), "until");
        badMute(Map.of("tenantId", newTenant()), "until");
        badMute(Map.of("kind", "NOT_A_KIND", "until", future), "kind");
        badMute(Map.of("tenantId", "not-a-guid", "until", future), "tenantId");
        badMute(Map.of("tenantId", newTenant(), "until", "tomorrow"), "until");
    }

    private static String mute(Map<String, Object> body) {
        return given().header("Authorization", Tokens.approver()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/mutes").then().statusCode(201).extract().path("id");
    }

    private static void badMute(Map<String, Object> body, String field) {
        given().header("Authorization", Tokens.approver()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/mutes").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo(field));
    }
}
