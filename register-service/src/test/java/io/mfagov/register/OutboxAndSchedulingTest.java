package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.EventCodec;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ScanReason;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.register.messaging.OutboxRelay;
import io.mfagov.register.service.ScanScheduler;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The transactional outbox (alerts and scan requests) and the scan scheduler. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class OutboxAndSchedulingTest {

    private static final String POLICY = "99999999-2222-3333-4444-555555555555";

    @Inject
    OutboxRelay relay;

    @Inject
    ScanScheduler scheduler;

    @Inject
    EntityManager em;

    @Test
    void anAlertIsStillPublishedAfterACrashBetweenCommitAndSend() {
        String tenant = newTenant();
        relay.pause(); // the process "dies" after committing the state change, before relaying
        try {
            send(user(UUID.randomUUID(), tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> unsent(tenant) == 1);
            List<ConsumerRecord<String, String>> early = kafka().readUntil(Topics.ALERTS, Duration.ofSeconds(2), r -> false);
            assertThat(early).noneMatch(r -> tenant.equals(r.key()));
        } finally {
            relay.resume(); // a fresh relay run after restart
        }
        List<AlertRaised> alerts = alerts(tenant, a -> !a.isEmpty());
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION));
        await().atMost(Duration.ofSeconds(10)).until(() -> unsent(tenant) == 0);
    }

    @Test
    void aRequestedScanIsPublishedThroughTheOutbox() {
        String tenant = newTenant();
        createTenant(tenant);
        String requestId = requester().post("/api/v1/tenants/" + tenant + "/scans").then().statusCode(202)
                .extract().path("requestId");
        ScanRequested request = awaitScanRequest(tenant, r -> r.requestId().toString().equals(requestId));
        assertThat(request.reason()).isEqualTo(ScanReason.MANUAL);
        assertThat(request.requestedBy()).isEqualTo(REQUESTER);
    }

    @Test
    void theSchedulerRequestsScansOfDueTenants() {
        String tenant = newTenant();
        createTenant(tenant);
        ScanRequested request = awaitScanRequest(tenant, r -> r.reason() == ScanReason.SCHEDULED);
        assertThat(request.requestedBy()).isEqualTo("scheduler");
        // Not due again until its interval (24 h by default) has passed.
        assertThat(scheduler.requestDueScans(Instant.now())).isGreaterThanOrEqualTo(0);
        long scheduled = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(o) from OutboxMessage o where o.messageKey = :t and o.eventType = 'ScanRequested'", Long.class)
                .setParameter("t", tenant).getSingleResult());
        assertThat(scheduled).isEqualTo(1);
    }

    @Test
    void onlyTheReplicaHoldingTheAdvisoryLockPublishes() throws Exception {
        try (Connection other = DriverManager.getConnection(PostgresTestResource.jdbcUrl(),
                PostgresTestResource.username(), PostgresTestResource.password())) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("select pg_advisory_xact_lock(" + 0x6d666167_7363616eL + ")");
                assertThat(scheduler.requestDueScans(Instant.now())).isEqualTo(-1);
            }
            other.rollback();
        }
        assertThat(scheduler.requestDueScans(Instant.now())).isGreaterThanOrEqualTo(0);
    }

    private long unsent(String tenant) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(o) from OutboxMessage o where o.messageKey = :t and o.sentAt is null", Long.class)
                .setParameter("t", tenant).getSingleResult());
    }

    private static ScanRequested awaitScanRequest(String tenant, java.util.function.Predicate<ScanRequested> match) {
        List<ConsumerRecord<String, String>> records = kafka().readUntil(Topics.SCAN_REQUESTS, Duration.ofSeconds(20),
                rs -> rs.stream().filter(r -> tenant.equals(r.key()))
                        .anyMatch(r -> match.test(EventCodec.get().decode(r.value(), ScanRequested.class).payload())));
        return records.stream().filter(r -> tenant.equals(r.key()))
                .map(r -> EventCodec.get().decode(r.value(), ScanRequested.class).payload())
                .filter(match).findFirst().orElseThrow(() -> new AssertionError("no matching ScanRequested for " + tenant));
    }
}
