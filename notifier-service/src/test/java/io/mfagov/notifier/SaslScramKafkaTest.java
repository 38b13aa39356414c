package io.mfagov.notifier;

import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.SaslKafkaTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ScanReason;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.model.events.Severity;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.notifier.support.NotifierTestResource;
import io.mfagov.notifier.support.RecordingSink;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier against a broker that accepts only SASL/SCRAM (no plaintext listener), configured only through the
 * kafka.* properties a production deployment sets: alerts are taken in and delivered, bad records reach the DLQ.
 */
@QuarkusTest
@WithTestResource(SaslKafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(NotifierTestResource.class)
class SaslScramKafkaTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    /** Hides the base class's plaintext connection: this test talks SCRAM. */
    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(SaslKafkaTestResource.clientProperties());
    }

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void anAlertRaisedOverScramIsTakenInAndDelivered() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);

        awaitDeliveryStatus(alert.alertId(), "DELIVERED");
        assertThat(sink.deliveredMentioning(alert.alertId())).isEqualTo(1);
    }

    @Test
    void aRecordThatIsNotAnAlertIsDeadLetteredOverScramAndTheNextIsDelivered() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        String wrongType = EventRecords.toRecord(EventEnvelope.wrap(new ScanRequested(UUID.randomUUID(), tenant, null,
                ScanReason.MANUAL, Instant.now(), "test", null), Instant.now())).value();
        AlertRaised next = alert(tenant, AlertKind.EXPIRED, Severity.HIGH);

        kafka.send(Topics.ALERTS, tenant, wrongType);
        publish(next);

        awaitDeliveryStatus(next.alertId(), "DELIVERED");
        ConsumerRecord<String, String> dead = kafka.readUntil(Topics.deadLetter(Topics.ALERTS), Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> wrongType.equals(r.value())))
                .stream().filter(r -> wrongType.equals(r.value())).findFirst()
                .orElseThrow(() -> new AssertionError("the record is not on the DLQ"));
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("expected AlertRaised but got ScanRequested");
        assertThat(new String(dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.ALERTS);
    }

    @Test
    void aPlaintextClientIsRefused() {
        assertThat(SaslKafkaTestResource.refusesPlaintextClients()).isTrue();
    }
}
