package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.Topics;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.entity.Scan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A database that fails for a while delays scan results; it never sends good ones to the dead-letter topic. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class TransientFailureTest {

    private static final String POLICY = "77777777-2222-3333-4444-555555555555";

    @Inject
    EntityManager em;

    @Test
    void recordsFailingTransientlyAreRetriedInPlaceAndNeverDeadLettered() {
        String tenant = newTenant();
        // Lost connection on the batch, on its retry and more: the old one-by-one fallback would dead-letter it.
        FlakyScanResultService.failTransiently(tenant, 4);
        UUID scan = UUID.randomUUID();
        send(user(scan, tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 1, Instant.now().minusSeconds(1)));

        await().atMost(Duration.ofSeconds(60)).until(() -> reconciliation(scan) != null);
        assertThat(reconciliation(scan)).isEqualTo("SWEPT");
        assertThat(FlakyScanResultService.transientFailuresLeft(tenant)).isZero();
        assertThat(FlakyScanResultService.attempts(tenant)).isGreaterThanOrEqualTo(5);
        assertThat(ReconciliationTest.exclusions(tenant, "").getList("items.status")).containsExactly("UNAPPROVED");
        List<ConsumerRecord<String, String>> dead = kafka().readUntil(Topics.deadLetter(Topics.SCAN_RESULTS),
                Duration.ofSeconds(3), r -> false);
        assertThat(dead).noneMatch(r -> tenant.equals(r.key()));
    }

    @Test
    void aRecordThatFailsByItselfStillGoesToTheDeadLetterTopic() {
        String tenant = newTenant();
        FlakyScanResultService.failPermanently(tenant);
        UUID scan = UUID.randomUUID();
        send(completed(scan, tenant, ScanStatus.COMPLETE, 0, Instant.now()));

        List<ConsumerRecord<String, String>> dead = kafka().readUntil(Topics.deadLetter(Topics.SCAN_RESULTS),
                Duration.ofSeconds(30), rs -> rs.stream().anyMatch(r -> tenant.equals(r.key())));
        ConsumerRecord<String, String> deadLetter = dead.stream().filter(r -> tenant.equals(r.key())).findFirst()
                .orElseThrow(() -> new AssertionError("the failing record is not on the DLQ"));
        assertThat(new String(deadLetter.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("cannot be applied");
        assertThat(reconciliation(scan)).isNull();
    }

    private String reconciliation(UUID scanId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Scan scan = em.find(Scan.class, scanId);
            return scan == null ? null : scan.reconciliation;
        });
    }
}
