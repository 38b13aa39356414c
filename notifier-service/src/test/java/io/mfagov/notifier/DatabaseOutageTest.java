package io.mfagov.notifier;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.notifier.support.FailingDatabase;
import io.mfagov.notifier.support.NotifierTestResource;
import io.mfagov.notifier.support.RecordingSink;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that fails for a while (PostgreSQL reporting a lost connection, through a test trigger) must not cost alerts:
 * the register's outbox has marked them sent, so a dead-lettered alert would never be delivered. The consumer
 * retries in place until the database is back; only a record that fails by itself goes to the DLQ.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(NotifierTestResource.class)
class DatabaseOutageTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    @Inject
    DataSource dataSource;

    private FailingDatabase database;

    @BeforeEach
    void trigger() {
        database = new FailingDatabase(dataSource);
    }

    @AfterEach
    void stop() {
        database.remove();
        sink.close();
    }

    @Test
    void anAlertArrivingWhileTheDatabaseFailsTransientlyIsDeliveredOnceAfterwardsAndNeverDeadLettered() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
        AlertRaised next = alert(tenant, AlertKind.EXPIRED, Severity.HIGH); // same partition, behind it
        database.failTransiently(alert.alertId(), 8);

        publish(alert);
        publish(next);

        awaitDeliveryStatus(alert.alertId(), "DELIVERED");
        awaitDeliveryStatus(next.alertId(), "DELIVERED");
        assertThat(database.attempts(alert.alertId())).as("8 failed attempts, then one that worked").isEqualTo(9);
        assertThat(sink.deliveredMentioning(alert.alertId())).isEqualTo(1);
        assertThat(sink.deliveredMentioning(next.alertId())).isEqualTo(1);
        assertThat(deadLettersUpToAMarker(tenant)).noneMatch(r -> r.value().contains(alert.alertId()));
    }

    @Test
    void onlyARecordThatFailsByItselfGoesToTheDeadLetterTopicAndItsNeighboursAreTakenIn() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        AlertRaised broken = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
        AlertRaised flaky = alert(tenant, AlertKind.SCAN_FAILED, Severity.HIGH);
        AlertRaised fine = alert(tenant, AlertKind.EXPIRED, Severity.HIGH);
        database.failPermanently(broken.alertId());
        database.failTransiently(flaky.alertId(), 3);

        publish(broken);
        publish(flaky);
        publish(fine);

        awaitDeliveryStatus(flaky.alertId(), "DELIVERED");
        awaitDeliveryStatus(fine.alertId(), "DELIVERED");
        List<ConsumerRecord<String, String>> dead = deadLettersUpToAMarker(tenant);
        ConsumerRecord<String, String> brokenRecord = dead.stream().filter(r -> r.value().contains(broken.alertId()))
                .findFirst().orElseThrow(() -> new AssertionError("the broken alert is not on the DLQ"));
        assertThat(new String(brokenRecord.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("cannot be stored");
        assertThat(database.attempts(flaky.alertId())).isGreaterThan(3);
        assertThat(dead).noneMatch(r -> r.value().contains(flaky.alertId()) || r.value().contains(fine.alertId()));
        assertThat(deliveries("alertId=" + broken.alertId())).isEmpty();
    }

    /**
     * The DLQ records of this tenant's partition up to an unreadable marker sent now: a record of the tenant
     * dead-lettered before the marker was consumed is among them (same key, same partition, in order).
     */
    private static List<ConsumerRecord<String, String>> deadLettersUpToAMarker(String tenant) {
        String marker = "not an event " + UUID.randomUUID();
        kafka.send(Topics.ALERTS, tenant, marker);
        List<ConsumerRecord<String, String>> read = kafka.readUntil(Topics.deadLetter(Topics.ALERTS), Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> marker.equals(r.value())));
        assertThat(read).as("the marker reached the DLQ").anyMatch(r -> marker.equals(r.value()));
        return read;
    }
}
