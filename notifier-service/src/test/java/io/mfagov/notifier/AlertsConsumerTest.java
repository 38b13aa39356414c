package io.mfagov.notifier;

import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.notifier.repository.ReceivedAlert;
import io.mfagov.notifier.repository.ReceivedAlertRepository;
import io.mfagov.notifier.support.NotifierTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real broker, real PostgreSQL: alerts from the register are taken in once per alert id. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(NotifierTestResource.class)
class AlertsConsumerTest {

    private static final String TENANT = "2d1c4b5a-6e7f-4a8b-9c0d-1e2f3a4b5c6d";

    private static KafkaTestClient kafka;

    @Inject
    ReceivedAlertRepository alerts;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(KafkaTestResource.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void anAlertFromTheRegisterIsTakenIn() {
        AlertRaised alert = alert(AlertKind.UNAPPROVED_EXCLUSION);

        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(alert, Instant.now())));

        ReceivedAlert received = awaitAlert(alert.alertId());
        assertThat(received.kind).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION);
        assertThat(received.tenantId).isEqualTo(TENANT);
    }

    @Test
    void aReplayedAlertWithTheSameAlertIdIsTakenInOnce() {
        AlertRaised alert = alert(AlertKind.EXPIRING);
        AlertRaised marker = alert(AlertKind.EXPIRED);

        // The same cause raised twice: two events, one deterministic alert id.
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(alert, Instant.now())));
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(alert, Instant.now())));
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(marker, Instant.now())));

        awaitAlert(marker.alertId());
        assertThat(QuarkusTransaction.requiringNew().call(() -> alerts.count("alertId", alert.alertId())))
                .isEqualTo(1);
    }

    @Test
    void aRecordOfAnotherEventTypeGoesToTheDeadLetterTopicWithItsReason() {
        String wrongType = EventRecords.toRecord(EventEnvelope.wrap(
                new io.mfagov.model.events.ScanRequested(UUID.randomUUID(), TENANT, null,
                        io.mfagov.model.events.ScanReason.MANUAL, Instant.now(), "test", null), Instant.now())).value();
        AlertRaised after = alert(AlertKind.SCAN_FAILED);

        kafka.send(Topics.ALERTS, TENANT, wrongType);
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(after, Instant.now())));

        awaitAlert(after.alertId());
        ConsumerRecord<String, String> dead = kafka.readUntil(Topics.deadLetter(Topics.ALERTS), Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> wrongType.equals(r.value())))
                .stream().filter(r -> wrongType.equals(r.value())).findFirst()
                .orElseThrow(() -> new AssertionError("record not found on the DLQ"));
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("expected AlertRaised but got ScanRequested");
    }

    private ReceivedAlert awaitAlert(String alertId) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> QuarkusTransaction.requiringNew().call(() -> alerts.findById(alertId)), a -> a != null);
    }

    private static AlertRaised alert(AlertKind kind) {
        String subject = "svc-" + UUID.randomUUID() + "@contoso.com excluded from 'Require MFA'";
        return new AlertRaised(kind + ":" + TENANT + ":" + UUID.randomUUID(), TENANT, kind, Severity.HIGH, subject,
                null, null, Map.of("Tenant", "Contoso"), null, Instant.now());
    }
}
