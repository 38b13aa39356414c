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
class RoutingTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void aTenantsOwnDestinationsForAKindReplaceTheMspDefaultAndMinimumSeverityFilters() {
        String msp = createDestination(Map.of("name", "MSP default " + java.util.UUID.randomUUID(), "type", "WEBHOOK",
                "url", sink.url("/msp"), "minSeverity", "MEDIUM")).getString("destination.id");
        try {
            String withOverride = newTenant();
            String withoutOverride = newTenant();
            String own = createDestination(Map.of("name", "Own", "tenantId", withOverride, "type", "WEBHOOK",
                    "url", sink.url("/own"), "kinds", List.of("UNAPPROVED_EXCLUSION"))).getString("destination.id");
            AlertRaised overridden = alert(withOverride, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
            AlertRaised otherKind = alert(withOverride, AlertKind.EXPIRED, Severity.HIGH);
            AlertRaised tooLow = alert(withoutOverride, AlertKind.SCAN_FAILED, Severity.LOW);
            AlertRaised highEnough = alert(withoutOverride, AlertKind.SCAN_FAILED, Severity.HIGH);

            publish(overridden);
            publish(otherKind);
            publish(tooLow);
            publish(highEnough); // same tenant as tooLow: consumed after it

            assertThat(awaitDeliveryStatus(overridden.alertId(), "DELIVERED")).containsEntry("destinationId", own);
            assertThat(awaitDeliveryStatus(otherKind.alertId(), "DELIVERED")).containsEntry("destinationId", msp);
            assertThat(awaitDeliveryStatus(highEnough.alertId(), "DELIVERED")).containsEntry("destinationId", msp);
            assertThat(deliveries("alertId=" + tooLow.alertId())).isEmpty();
            assertThat(deliveries("alertId=" + overridden.alertId())).hasSize(1);
        } finally {
            given().header("Authorization", Tokens.admin()).delete("/api/v1/destinations/" + msp).then().statusCode(204);
        }
    }
}
