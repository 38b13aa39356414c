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
class DeadLetterTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void aPermanentRefusalIsADeadLetterWithItsErrorAndIsDeliveredOnceWhenRedriven() {
        String tenant = newTenant();
        String destination = teams(tenant, sink.url("/teams"));
        sink.then(RecordingSink.Answer.status(404));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);

        Map<String, Object> dead = awaitDeliveryStatus(alert.alertId(), "DEAD");
        assertThat(dead).containsEntry("lastStatusCode", 404).containsEntry("attempts", 1);
        assertThat((String) dead.get("lastError")).startsWith("HTTP 404");
        String id = (String) dead.get("id");
        given().header("Authorization", Tokens.reader()).get("/api/v1/dead-letters?destinationId=" + destination)
                .then().statusCode(200).body("count", equalTo(1)).body("items[0].id", equalTo(id));

        given().header("Authorization", Tokens.approver()).post("/api/v1/dead-letters/" + id + "/retry")
                .then().statusCode(202).body("status", equalTo("PENDING"));

        awaitDeliveryStatus(alert.alertId(), "DELIVERED");
        assertThat(sink.deliveredMentioning(alert.subject())).isEqualTo(1);
        given().header("Authorization", Tokens.approver()).post("/api/v1/dead-letters/" + id + "/retry")
                .then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", Tokens.approver()).post("/api/v1/dead-letters/" + java.util.UUID.randomUUID() + "/retry")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aRedirectIsNeverFollowed() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        sink.then(RecordingSink.Answer.redirect(sink.url("/elsewhere")));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);

        Map<String, Object> dead = awaitDeliveryStatus(alert.alertId(), "DEAD");
        assertThat((String) dead.get("lastError")).contains("redirect not followed");
        assertThat(sink.all()).extracting(RecordingSink.Received::path).containsExactly("/psa");
    }

    @Test
    void deadLettersOfADestinationCanBeRedrivenTogether() {
        String tenant = newTenant();
        String destination = webhook(tenant, sink.url("/psa")).getString("destination.id");
        sink.answerByDefault(RecordingSink.Answer.status(401));
        List<AlertRaised> alerts = List.of(alert(tenant, AlertKind.EXPIRED, Severity.HIGH),
                alert(tenant, AlertKind.EXPIRED, Severity.HIGH));
        alerts.forEach(NotifierTestBase::publish);
        alerts.forEach(a -> awaitDeliveryStatus(a.alertId(), "DEAD"));
        sink.answerByDefault(RecordingSink.Answer.status(204));

        given().header("Authorization", Tokens.approver()).post("/api/v1/dead-letters/retry?destinationId=" + destination)
                .then().statusCode(202).body("retried", equalTo(2));

        alerts.forEach(a -> awaitDeliveryStatus(a.alertId(), "DELIVERED"));
        alerts.forEach(a -> assertThat(sink.deliveredMentioning(a.alertId())).isEqualTo(1));
    }
}
