package io.mfagov.notifier;

import io.mfagov.model.EventEnvelope;
import io.mfagov.notifier.delivery.DeliveryWorker;
import jakarta.inject.Inject;
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
class ExactlyOnceDeliveryTest extends NotifierTestBase {

    private final RecordingSink teamsSink = RecordingSink.start();
    private final RecordingSink psaSink = RecordingSink.start();

    @Inject
    DeliveryWorker worker;

    @AfterEach
    void stop() {
        worker.resume();
        teamsSink.close();
        psaSink.close();
    }

    @Test
    void aReplayedOrRedeliveredAlertReachesEachDestinationOnce() {
        String tenant = newTenant();
        String teamsId = teams(tenant, teamsSink.url("/teams"));
        String psaId = webhook(tenant, psaSink.url("/psa")).getString("destination.id");
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
        EventEnvelope<AlertRaised> envelope = EventEnvelope.wrap(alert, Instant.now());
        AlertRaised marker = alert(tenant, AlertKind.EXPIRED, Severity.HIGH);

        publish(envelope);
        publish(envelope);                 // the same event redelivered
        publish(alert);                    // the same cause replayed: a new event, the same alertId
        publish(marker);                   // same tenant, same partition: consumed after the others

        // The marker was consumed after every copy, so the alert's deliveries are all there; wait for them to be
        // sent, then for a marker published afterwards, so a second send of the alert would have happened by then.
        awaitBothDelivered(marker);
        awaitBothDelivered(alert);
        assertThat(deliveries("alertId=" + alert.alertId())).extracting(d -> d.get("destinationId"))
                .containsExactlyInAnyOrder(teamsId, psaId);
        AlertRaised later = alert(tenant, AlertKind.EXPIRED, Severity.HIGH);
        publish(later);
        awaitBothDelivered(later);
        eventually(() -> psaSink.deliveredMentioning(later.alertId()), n -> n == 1);
        assertThat(teamsSink.deliveredMentioning(alert.subject())).isEqualTo(1);
        assertThat(psaSink.deliveredMentioning(alert.alertId())).isEqualTo(1);
    }

    private static void awaitBothDelivered(AlertRaised alert) {
        eventually(() -> deliveries("alertId=" + alert.alertId()), d -> d.size() == 2
                && d.stream().allMatch(x -> "DELIVERED".equals(x.get("status"))));
    }

    @Test
    void aRestartedWorkerNeverSendsADeliveredAlertAgainAndSendsWhatArrivedWhileItWasDown() {
        String tenant = newTenant();
        webhook(tenant, psaSink.url("/psa"));
        AlertRaised before = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
        publish(before);
        awaitDeliveryStatus(before.alertId(), "DELIVERED");

        worker.pause();
        assertThat(worker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        List<AlertRaised> meanwhile = List.of(alert(tenant, AlertKind.EXPIRED, Severity.HIGH),
                alert(tenant, AlertKind.EXCLUSION_REMOVED, Severity.LOW), alert(tenant, AlertKind.SCAN_FAILED, Severity.HIGH));
        publish(before);                   // replayed while the worker is down
        meanwhile.forEach(NotifierTestBase::publish);
        meanwhile.forEach(a -> awaitDeliveryStatus(a.alertId(), "PENDING"));
        assertThat(psaSink.all()).hasSize(1);
        worker.resume();

        meanwhile.forEach(a -> awaitDeliveryStatus(a.alertId(), "DELIVERED"));
        assertThat(psaSink.deliveredMentioning(before.alertId())).isEqualTo(1);
        meanwhile.forEach(a -> assertThat(psaSink.deliveredMentioning(a.alertId())).isEqualTo(1));
        assertThat(psaSink.all()).hasSize(4);
    }

    @Test
    void aSlowDestinationDoesNotHoldUpTheOthers() {
        String tenant = newTenant();
        // Slow and failing until the test lets it succeed: it holds its slots as long as the test needs,
        // however fast or slow the machine (no race between the two destinations).
        RecordingSink slow = RecordingSink.start().answerByDefault(RecordingSink.Answer.slow(503, Duration.ofMillis(600)));
        try {
            webhook(tenant, slow.url("/slow"));
            webhook(tenant, psaSink.url("/fast"));
            List<AlertRaised> alerts = java.util.stream.IntStream.range(0, 12)
                    .mapToObj(i -> alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH)).toList();

            alerts.forEach(NotifierTestBase::publish);

            eventually(psaSink::delivered, d -> d.size() == alerts.size());
            eventually(slow::all, r -> !r.isEmpty()); // it was busy meanwhile
            assertThat(slow.delivered()).as("the slow destination has delivered nothing yet").isEmpty();
            alerts.forEach(a -> assertThat(psaSink.deliveredMentioning(a.alertId())).isEqualTo(1));

            slow.answerByDefault(RecordingSink.Answer.status(200));
            eventually(slow::delivered, d -> d.size() == alerts.size());
            alerts.forEach(a -> assertThat(slow.deliveredMentioning(a.alertId())).isEqualTo(1));
        } finally {
            slow.close();
        }
    }
}
