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
import io.mfagov.register.outbox.OutboxRelay;
import io.mfagov.register.entity.Tenant;
import io.restassured.RestAssured;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        // A later alert of the tenant (same key and partition) marks the end: a duplicate would come before it.
        send(io.mfagov.register.RegisterTestSupport.completed(UUID.randomUUID(), tenant,
                io.mfagov.model.events.ScanStatus.FAILED, 0, Instant.now()));
        List<AlertRaised> alerts = alerts(tenant, a -> a.stream().anyMatch(x -> x.kind() == AlertKind.SCAN_FAILED))
                .stream().filter(a -> a.kind() != AlertKind.SCAN_FAILED).toList();
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
        Instant requestedAt = request.requestedAt();
        scheduler.pause(); // no tick holds the scheduler's lock from here on: every call below really runs
        try {
            // Not due again until its interval (24 h by default) has passed...
            assertThat(scheduler.requestDueScans(requestedAt.plus(Duration.ofHours(24)).minusSeconds(60)))
                    .isGreaterThanOrEqualTo(0);
            assertThat(scheduledRequests(tenant)).isEqualTo(1);
            // ...and due once it has.
            assertThat(scheduler.requestDueScans(requestedAt.plus(Duration.ofHours(24)).plusSeconds(1))).isGreaterThanOrEqualTo(1);
            assertThat(scheduledRequests(tenant)).isEqualTo(2);
        } finally {
            scheduler.resume();
        }
    }

    @Test
    void anAdminDisablingATenantWhileTheSchedulerRunsIsNotUndone() throws Exception {
        String tenant = newTenant();
        createTenant(tenant);
        scheduler.pause();
        try {
            Instant later = Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // the tenant is due then, whatever ran before
            CompletableFuture<Integer> put;
            CompletableFuture<Integer> tick;
            // Own threads: the common pool has a single thread on a 2-core machine, and both calls block.
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                try (Connection other = otherConnection()) {
                    ConcurrencyTest.lockAuditChain(other); // both stop at the audit chain, having read the tenant
                    put = CompletableFuture.supplyAsync(() -> admin().body(Map.of("tenantId", tenant, "enabled", false))
                            .put("/api/v1/tenants/" + tenant).then().extract().statusCode(), threads);
                    awaitWaitingSessions(other, 1, Duration.ofSeconds(30));
                    tick = CompletableFuture.supplyAsync(() -> scheduler.requestDueScans(later), threads);
                    awaitWaitingSessions(other, 2, Duration.ofSeconds(30));
                    other.rollback();
                }
                assertThat(put.get(30, TimeUnit.SECONDS)).isEqualTo(200);
                assertThat(tick.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
            } finally {
                threads.shutdownNow();
            }
            Tenant t = QuarkusTransaction.requiringNew().call(() -> em.find(Tenant.class, tenant));
            assertThat(t.enabled).as("the admin's change").isFalse();
            // Whichever committed first: a scan was requested and recorded as such, or none was.
            boolean requested = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                    "select count(o) from OutboxMessage o where o.messageKey = :t and o.eventType = 'ScanRequested'"
                            + " and o.createdAt = :at", Long.class)
                    .setParameter("t", tenant).setParameter("at", later).getSingleResult()) == 1;
            if (requested) {
                assertThat(t.lastScanRequestedAt).isEqualTo(later);
            } else {
                assertThat(t.lastScanRequestedAt).isNotEqualTo(later);
            }
        } finally {
            scheduler.resume();
        }
    }

    @Test
    void aRowThatCannotBeSentIsParkedAndLaterAlertsStillGoOut() {
        String tenant = newTenant();
        relay.pause();
        long poison;
        try {
            poison = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("insert into outbox"
                            + " (event_id, dedup_key, topic, message_key, event_type, payload, created_at)"
                            + " values (?1, ?2, ?3, ?4, 'AlertRaised', 'not an envelope', now()) returning id")
                    .setParameter(1, UUID.randomUUID()).setParameter(2, "POISON:" + tenant).setParameter(3, Topics.ALERTS)
                    .setParameter(4, tenant).getSingleResult()).longValue());
            send(user(UUID.randomUUID(), tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> unsent(tenant) == 2);
        } finally {
            relay.resume();
        }
        assertThat(alerts(tenant, a -> !a.isEmpty())).extracting(AlertRaised::kind)
                .contains(AlertKind.UNAPPROVED_EXCLUSION);
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select attempts, parked_at is not null, sent_at is null, last_error from outbox where id = ?1")
                .setParameter(1, poison).getSingleResult());
        assertThat(((Number) row[0]).intValue()).isEqualTo(3); // %test.register.outbox.max-attempts
        assertThat(row[1]).isEqualTo(true);
        assertThat(row[2]).isEqualTo(true);
        assertThat((String) row[3]).isNotBlank();
        RestAssured.given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'outbox' }.data.parkedRows", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        assertThat(relay.lag()).isLessThan(Duration.ofMinutes(1)); // a parked row does not count as backlog
    }

    private long scheduledRequests(String tenant) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(o) from OutboxMessage o where o.messageKey = :t and o.eventType = 'ScanRequested'", Long.class)
                .setParameter("t", tenant).getSingleResult());
    }

    @Test
    void onlyTheReplicaHoldingTheAdvisoryLockPublishes() throws Exception {
        scheduler.pause(); // this replica's own ticks must not hold the lock either
        try (Connection other = DriverManager.getConnection(PostgresTestResource.jdbcUrl(),
                PostgresTestResource.username(), PostgresTestResource.password())) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("select pg_advisory_xact_lock(" + 0x6d666167_7363616eL + ")");
                assertThat(scheduler.requestDueScans(Instant.now())).isEqualTo(-1);
            }
            other.rollback();
            assertThat(scheduler.requestDueScans(Instant.now())).isGreaterThanOrEqualTo(0);
        } finally {
            scheduler.resume();
        }
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
