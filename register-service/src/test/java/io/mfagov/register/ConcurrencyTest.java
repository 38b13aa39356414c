package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.entity.Scan;
import io.mfagov.register.entity.Tenant;
import io.mfagov.register.service.ScanResultService;
import io.mfagov.register.service.ScanScheduler;
import io.mfagov.register.service.TenantLocks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reconciliation, the exception workflow and admins at the same time: nothing one commits is undone by another. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class ConcurrencyTest {

    private static final String POLICY = "88888888-2222-3333-4444-555555555555";

    @Inject
    EntityManager em;

    @Inject
    ScanScheduler scheduler;

    @Inject
    ScanResultService scanResults;

    @BeforeEach
    void noSchedulerTicks() {
        scheduler.pause(); // its ticks would wait for the locks held here too, and blur what is waiting for what
    }

    @AfterEach
    void schedulerTicksAgain() {
        scheduler.resume();
    }

    @Test
    void anApprovalCommittedWhileABatchIsReconciledIsNotUndone() throws Exception {
        String tenant = newTenant();
        createTenant(tenant);
        String userId = UUID.randomUUID().toString();
        UUID scan = UUID.randomUUID();
        send(user(scan, tenant, POLICY, userId, Instant.now().minusSeconds(30)));
        String exclusionId = await().atMost(Duration.ofSeconds(60))
                .until(() -> ReconciliationTest.exclusions(tenant, ""), j -> j.getList("items").size() == 1)
                .getString("items[0].id");
        String exceptionId = requester().body(Map.of("tenantId", tenant, "policyId", POLICY, "category", "OTHER",
                        "justification", "kiosk account", "expiresAt", inDays(20),
                        "principals", List.of(Map.of("id", userId, "type", "USER"))))
                .post("/api/v1/exceptions").then().statusCode(201).extract().<String>path("id");
        assertThat(status(exclusionId)).isEqualTo("PENDING");

        CompletableFuture<Integer> approval;
        try (Connection other = otherConnection()) {
            // Hold the scan's row: reconciliation of the next detection stops there, after reading the exceptions.
            try (PreparedStatement ps = other.prepareStatement("select 1 from scan where scan_id = ? for update")) {
                ps.setObject(1, scan);
                ps.executeQuery().close();
            }
            send(user(scan, tenant, POLICY, userId, Instant.now()));
            awaitWaitingSessions(other, 1, Duration.ofSeconds(30));

            approval = CompletableFuture.supplyAsync(() -> approver().body("{}")
                    .post("/api/v1/exceptions/" + exceptionId + "/approve").then().extract().statusCode());
            // Unserialized, the approval commits now (and reconciliation then writes back PENDING); serialized, it
            // waits for reconciliation (the tenant's lock, or the audit chain's that reconciliation takes after it).
            await().atMost(Duration.ofSeconds(15)).until(() -> approval.isDone() || tenantLockWaiters(other, tenant) > 0
                    || waitingSessions(other) >= 2);
            other.rollback();
        }
        assertThat(approval.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> received(scan) == 2);
        assertThat(status(exclusionId)).isEqualTo("APPROVED");
        reader().get("/api/v1/exclusions/" + exclusionId).then().statusCode(200)
                .body("exceptionId", org.hamcrest.Matchers.is(exceptionId));
    }

    @Test
    void aScanFinishingWhileAnAdminDisablesTheTenantUndoesNeither() throws Exception {
        String tenant = newTenant();
        createTenant(tenant);
        UUID scan = UUID.randomUUID();
        // The race is between reconciliation's bookkeeping and the admin's PUT, so the scan result is applied by
        // the reconciliation service itself on its own thread (the Kafka path around it is tested elsewhere and
        // would only add a loaded machine's consumer latency to the race).
        EventEnvelope<EventPayload> completion = EventEnvelope.wrap(
                completed(scan, tenant, ScanStatus.FAILED, 0, Instant.now()), Instant.now());
        CompletableFuture<Integer> put;
        CompletableFuture<Boolean> reconciled;
        // Own threads: the common pool has a single thread on a 2-core machine, and both calls block.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection other = otherConnection()) {
            lockAuditChain(other); // both transactions stop at their first audit append, after reading the tenant
            put = CompletableFuture.supplyAsync(() -> admin().body(Map.of("tenantId", tenant, "displayName", "Fabrikam",
                    "enabled", false)).put("/api/v1/tenants/" + tenant).then().extract().statusCode(), threads);
            awaitWaitingSessions(other, 1, Duration.ofSeconds(30));
            reconciled = CompletableFuture.supplyAsync(() -> scanResults.apply(completion), threads);
            awaitWaitingSessions(other, 2, Duration.ofSeconds(30));
            other.rollback();
        }
        try {
            assertThat(reconciled.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(put.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        } finally {
            threads.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> scanCompleted(scan));
        Tenant t = QuarkusTransaction.requiringNew().call(() -> em.find(Tenant.class, tenant));
        assertThat(t.enabled).as("the admin's change").isFalse();
        assertThat(t.displayName).isEqualTo("Fabrikam");
        assertThat(t.lastScanStatus).as("the scan's bookkeeping").isEqualTo("FAILED");
        assertThat(t.failureStreak).isEqualTo(1);
    }

    static void lockAuditChain(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, 0x6d666167_61756469L); // AuditLog's chain lock
            ps.executeQuery().close();
        }
    }

    private static int tenantLockWaiters(Connection c, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from pg_locks where locktype = 'advisory'"
                + " and not granted and objsubid = 2 and classid = ? and objid = ?")) {
            ps.setLong(1, TenantLocks.NAMESPACE);
            ps.setLong(2, Integer.toUnsignedLong(TenantLocks.key(tenant)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private String status(String exclusionId) {
        return reader().get("/api/v1/exclusions/" + exclusionId).then().statusCode(200).extract().path("status");
    }

    private int received(UUID scanId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Scan s = em.find(Scan.class, scanId);
            return s == null ? -1 : s.receivedCount;
        });
    }

    private boolean scanCompleted(UUID scanId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Scan s = em.find(Scan.class, scanId);
            return s != null && s.reconciliation != null;
        });
    }
}
