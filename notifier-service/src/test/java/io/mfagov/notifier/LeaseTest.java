package io.mfagov.notifier;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.notifier.delivery.DeliveryJob;
import io.mfagov.notifier.delivery.DeliveryStore;
import io.mfagov.notifier.delivery.DeliveryWorker;
import io.mfagov.notifier.delivery.SendOutcome;
import io.mfagov.notifier.support.NotifierTestResource;
import io.mfagov.notifier.support.RecordingSink;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A claimed delivery's lease must outlast its request, and an outcome counts only for the claim that holds
 * the rows: a request is cut at a hard deadline well inside the lease, and a stale worker's outcome (its
 * lease ran out, another claim took the rows) is ignored.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(NotifierTestResource.class)
class LeaseTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    @Inject
    DeliveryStore store;

    @Inject
    DeliveryWorker worker;

    @AfterEach
    void stop() {
        worker.resume();
        sink.close();
    }

    @Test
    void anAnswerTricklingInWithoutEndIsCutAtTheRequestDeadlineAndRetriedLongBeforeTheLeaseRunsOut() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        // Status at once, then a byte every 100 ms for a minute: the idle timeout (1 s in tests) never trips.
        sink.then(RecordingSink.Answer.trickle(200, Duration.ofSeconds(60)));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);

        // Deadline connect + request timeout = 2 s in tests; the lease runs 30 s longer. Without the deadline the
        // first request would still be trickling when this wait ends.
        Map<String, Object> delivered = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> deliveries("alertId=" + alert.alertId()).stream()
                        .filter(d -> "DELIVERED".equals(d.get("status"))).findFirst().orElse(null), d -> d != null);
        assertThat((Integer) delivered.get("attempts")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.all().size() == 2); // the cut request, recorded when reset
        assertThat(sink.all()).extracting(RecordingSink.Received::answeredWith).containsExactlyInAnyOrder(0, 200);
        assertThat(sink.deliveredMentioning(alert.alertId())).isEqualTo(1);
    }

    @Test
    void theOutcomeOfAClaimWhoseLeaseRanOutIsIgnoredOnceAnotherClaimTookTheRow() {
        worker.pause();
        assertThat(worker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        String tenant = newTenant();
        UUID destination = UUID.fromString(webhook(tenant, sink.url("/psa")).getString("destination.id"));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);
        publish(alert);
        awaitDeliveryStatus(alert.alertId(), "PENDING");
        ToIntFunction<UUID> onlyOurs = id -> id.equals(destination) ? 4 : 0;

        Instant now = Instant.now();
        List<DeliveryJob> stale = store.claim(now, onlyOurs);
        assertThat(stale).hasSize(1);
        assertThat(store.claim(now.plusSeconds(1), onlyOurs)).as("leased: not claimed twice").isEmpty();
        // The first worker stalls past its lease (a long GC pause, a backlog): another claim takes the row back.
        Instant later = now.plus(Duration.ofMinutes(5));
        List<DeliveryJob> current = store.claim(later, onlyOurs);
        assertThat(current).hasSize(1);
        assertThat(current.get(0).claimToken()).isNotEqualTo(stale.get(0).claimToken());

        // The stale worker's outcomes arrive: neither may decide the row's fate.
        store.record(stale.get(0), SendOutcome.permanent(410, "HTTP 410"), later);
        store.record(stale.get(0), SendOutcome.ok(200), later);
        Map<String, Object> row = onlyDelivery(alert.alertId());
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat((Integer) row.get("attempts")).isZero();

        store.record(current.get(0), SendOutcome.ok(204), later.plusSeconds(1));
        row = onlyDelivery(alert.alertId());
        assertThat(row.get("status")).isEqualTo("DELIVERED");
        assertThat((Integer) row.get("attempts")).isEqualTo(1);
        assertThat((Integer) row.get("lastStatusCode")).isEqualTo(204);

        // And a late failure of the stale claim does not touch the delivered row either.
        store.record(stale.get(0), SendOutcome.retryable(503, null, "HTTP 503"), later.plusSeconds(2));
        assertThat(onlyDelivery(alert.alertId())).containsEntry("status", "DELIVERED").containsEntry("lastStatusCode", 204);
    }
}
