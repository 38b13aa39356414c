package io.mfagov.notifier;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
@TestProfile(RetryBudgetTest.ShortBudget.class)
class RetryBudgetTest extends NotifierTestBase {

    /** A retry budget of 1.5 s instead of 24 h, so spending it takes no real time. */
    public static class ShortBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mfagov.notifier.delivery.retry-budget", "PT1.5S");
        }
    }

    private final RecordingSink sink = RecordingSink.start();

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void aDestinationFailingForTheWholeBudgetYieldsADeadLetterWithTheLastErrorThenARedriveDelivers() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        sink.answerByDefault(RecordingSink.Answer.status(503));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);

        Map<String, Object> dead = awaitDeliveryStatus(alert.alertId(), "DEAD");
        assertThat((Integer) dead.get("attempts")).isGreaterThanOrEqualTo(2);
        assertThat(dead).containsEntry("lastStatusCode", 503);
        assertThat((String) dead.get("lastError")).startsWith("HTTP 503");
        assertThat(sink.delivered()).isEmpty();

        sink.answerByDefault(RecordingSink.Answer.status(200));
        given().header("Authorization", Tokens.admin()).post("/api/v1/dead-letters/" + dead.get("id") + "/retry")
                .then().statusCode(202);
        awaitDeliveryStatus(alert.alertId(), "DELIVERED");
        assertThat(sink.deliveredMentioning(alert.alertId())).isEqualTo(1);
    }
}
