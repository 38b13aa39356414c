package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.service.LifecycleJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real broker, real PostgreSQL: scan results in, reconciled exclusions and alerts out. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class ReconciliationTest {

    private static final String POLICY = "11111111-2222-3333-4444-555555555555";

    @Inject
    EntityManager em;

    @Inject
    LifecycleJob lifecycle;

    @Test
    void aNewExclusionWithoutExceptionIsUnapprovedAndRaisesOneAlert() {
        String tenant = newTenant();
        String userId = UUID.randomUUID().toString();
        send(user(UUID.randomUUID(), tenant, POLICY, userId, Instant.now()));

        JsonPath exclusion = awaitExclusions(tenant, 1).setRootPath("items[0]");
        assertThat(exclusion.getString("status")).isEqualTo("UNAPPROVED");
        assertThat(exclusion.getString("principalId")).isEqualTo(userId);
        assertThat(exclusion.getString("path")).isEqualTo("direct");

        // A later alert of the tenant (same key, same partition, so after any duplicate of the first) marks the end.
        UUID marker = UUID.randomUUID();
        send(completed(marker, tenant, ScanStatus.FAILED, 0, Instant.now()));
        List<AlertRaised> alerts = alerts(tenant, a -> a.stream().anyMatch(x -> x.kind() == AlertKind.SCAN_FAILED))
                .stream().filter(a -> a.kind() != AlertKind.SCAN_FAILED).toList();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION);
            assertThat(a.exclusionId()).isEqualTo(exclusion.getString("id"));
            assertThat(a.alertId()).startsWith("UNAPPROVED_EXCLUSION:" + tenant + ":" + exclusion.getString("id"));
        });
    }

    @Test
    void replayingTheSameEventsGivesTheSameStateAndNoDuplicateAlerts() {
        String tenant = newTenant();
        UUID scan = UUID.randomUUID();
        Instant started = Instant.now().minusSeconds(5);
        ExclusionDetected first = user(scan, tenant, POLICY, UUID.randomUUID().toString(), Instant.now());
        ExclusionDetected second = user(scan, tenant, POLICY, UUID.randomUUID().toString(), Instant.now());
        List<EventEnvelope<?>> events = List.of(EventEnvelope.wrap(first, Instant.now()),
                EventEnvelope.wrap(second, Instant.now()),
                EventEnvelope.wrap(completed(scan, tenant, ScanStatus.COMPLETE, 2, started), Instant.now()));
        events.forEach(RegisterTestSupport::send);
        awaitScanReconciled(scan);
        String before = awaitExclusions(tenant, 2).prettify();
        long outboxBefore = outboxRows(tenant);

        // The same records again (redelivery), then the same payloads under new event ids (a re-published scan).
        events.forEach(RegisterTestSupport::send);
        UUID marker = UUID.randomUUID();
        send(first);
        send(second);
        send(completed(marker, tenant, ScanStatus.PARTIAL, 0, Instant.now()));
        awaitScanReconciled(marker);

        assertThat(exclusions(tenant, "&includeRemoved=true").prettify()).isEqualTo(before);
        assertThat(outboxRows(tenant)).isEqualTo(outboxBefore);
        List<AlertRaised> alerts = alerts(tenant, a -> a.size() >= 2);
        assertThat(alerts).hasSize(2).extracting(AlertRaised::alertId).doesNotHaveDuplicates();
    }

    @Test
    void aCompleteScanWithTheAnnouncedCountRemovesWhatItDidNotSeeAndAlerts() {
        String tenant = newTenant();
        String stays = UUID.randomUUID().toString();
        String goes = UUID.randomUUID().toString();
        UUID scan1 = UUID.randomUUID();
        Instant t1 = Instant.now().minusSeconds(60);
        send(user(scan1, tenant, POLICY, stays, t1));
        send(user(scan1, tenant, POLICY, goes, t1));
        send(completed(scan1, tenant, ScanStatus.COMPLETE, 2, t1.minusSeconds(1)));
        awaitScanReconciled(scan1);

        UUID scan2 = UUID.randomUUID();
        Instant t2 = Instant.now();
        send(user(scan2, tenant, POLICY, stays, t2));
        send(completed(scan2, tenant, ScanStatus.COMPLETE, 1, t2.minusSeconds(1)));
        awaitScanReconciled(scan2);

        JsonPath all = exclusions(tenant, "&includeRemoved=true");
        assertThat(all.getList("items.findAll { it.principalId == '" + goes + "' }.status")).containsExactly("REMOVED");
        assertThat(all.getList("items.findAll { it.principalId == '" + stays + "' }.status")).containsExactly("UNAPPROVED");
        assertThat(exclusions(tenant, "").getList("items")).hasSize(1);
        UUID marker = UUID.randomUUID(); // a later alert: any duplicate EXCLUSION_REMOVED would come before it
        send(completed(marker, tenant, ScanStatus.FAILED, 0, Instant.now()));
        List<AlertRaised> alerts = alerts(tenant, a -> a.stream().anyMatch(x -> x.kind() == AlertKind.SCAN_FAILED));
        assertThat(alerts).filteredOn(a -> a.kind() == AlertKind.EXCLUSION_REMOVED).singleElement()
                .satisfies(a -> assertThat(a.subject()).contains("no longer excluded"));
    }

    @Test
    void aStaleDetectionDoesNotReviveARemovedExclusion() {
        String tenant = newTenant();
        String userId = UUID.randomUUID().toString();
        UUID scan1 = UUID.randomUUID();
        Instant t1 = Instant.now().minusSeconds(120);
        send(user(scan1, tenant, POLICY, userId, t1));
        send(completed(scan1, tenant, ScanStatus.COMPLETE, 1, t1.minusSeconds(1)));
        awaitScanReconciled(scan1);
        UUID scan2 = UUID.randomUUID();
        send(completed(scan2, tenant, ScanStatus.COMPLETE, 0, Instant.now().minusSeconds(60)));
        awaitScanReconciled(scan2);
        String exclusionId = exclusions(tenant, "&includeRemoved=true").getString("items[0].id");
        assertThat(status(exclusionId)).isEqualTo("REMOVED");

        // scan1's detection again, under a new event id (a late re-publication): observed before scan2 removed it.
        send(user(scan1, tenant, POLICY, userId, t1));
        UUID marker = UUID.randomUUID();
        send(completed(marker, tenant, ScanStatus.PARTIAL, 0, Instant.now()));
        awaitScanReconciled(marker);
        assertThat(status(exclusionId)).isEqualTo("REMOVED");
        reader().get("/api/v1/exclusions/" + exclusionId).then().statusCode(200)
                .body("history.action", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("EXCLUSION_REAPPEARED")));

        // Seen by a scan after the removal: it is back.
        UUID scan3 = UUID.randomUUID();
        send(user(scan3, tenant, POLICY, userId, Instant.now()));
        send(completed(scan3, tenant, ScanStatus.COMPLETE, 1, Instant.now().minusSeconds(1)));
        awaitScanReconciled(scan3);
        assertThat(status(exclusionId)).isEqualTo("UNAPPROVED");
        reader().get("/api/v1/exclusions/" + exclusionId).then().statusCode(200)
                .body("history.action", org.hamcrest.Matchers.hasItem("EXCLUSION_REAPPEARED"));
    }

    @Test
    void aCountMismatchRemovesNothingAndIsRecorded() {
        String tenant = newTenant();
        UUID scan1 = UUID.randomUUID();
        Instant t1 = Instant.now().minusSeconds(60);
        send(user(scan1, tenant, POLICY, UUID.randomUUID().toString(), t1));
        send(user(scan1, tenant, POLICY, UUID.randomUUID().toString(), t1));
        send(completed(scan1, tenant, ScanStatus.COMPLETE, 2, t1.minusSeconds(1)));
        awaitScanReconciled(scan1);

        UUID scan2 = UUID.randomUUID();
        send(completed(scan2, tenant, ScanStatus.COMPLETE, 1, Instant.now().minusSeconds(1)));
        awaitScanReconciled(scan2);

        assertThat(scanReconciliation(scan2)).isEqualTo("COUNT_MISMATCH");
        assertThat(exclusions(tenant, "").getList("items.status")).containsExactly("UNAPPROVED", "UNAPPROVED");
        admin().get("/api/v1/audit/events?tenantId=" + tenant).then().statusCode(200)
                .body("action", org.hamcrest.Matchers.hasItem("SCAN_COUNT_MISMATCH"));
    }

    @Test
    void partialAndFailedScansNeverRemoveAndFailuresAlertOncePerStreak() {
        String tenant = newTenant();
        UUID scan1 = UUID.randomUUID();
        Instant t1 = Instant.now().minusSeconds(60);
        send(user(scan1, tenant, POLICY, UUID.randomUUID().toString(), t1));
        send(completed(scan1, tenant, ScanStatus.COMPLETE, 1, t1.minusSeconds(1)));
        awaitScanReconciled(scan1);

        UUID partial = UUID.randomUUID();
        UUID failed1 = UUID.randomUUID();
        UUID failed2 = UUID.randomUUID();
        send(completed(partial, tenant, ScanStatus.PARTIAL, 0, Instant.now()));
        send(completed(failed1, tenant, ScanStatus.FAILED, 0, Instant.now()));
        send(completed(failed2, tenant, ScanStatus.FAILED, 0, Instant.now()));
        awaitScanReconciled(failed2);
        assertThat(exclusions(tenant, "").getList("items.status")).containsExactly("UNAPPROVED");

        UUID ok = UUID.randomUUID();
        send(user(ok, tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));
        send(completed(ok, tenant, ScanStatus.COMPLETE, 1, Instant.now().minusSeconds(1)));
        UUID failed3 = UUID.randomUUID();
        send(completed(failed3, tenant, ScanStatus.FAILED, 0, Instant.now()));
        awaitScanReconciled(failed3);

        List<AlertRaised> failures = alerts(tenant, a -> a.stream().filter(x -> x.kind() == AlertKind.SCAN_FAILED).count() >= 2)
                .stream().filter(a -> a.kind() == AlertKind.SCAN_FAILED).toList();
        assertThat(failures).extracting(AlertRaised::alertId)
                .containsExactly("SCAN_FAILED:" + tenant + ":" + failed1, "SCAN_FAILED:" + tenant + ":" + failed3);
    }

    @Test
    void everyStatusTransitionOfAnExclusion() {
        String tenant = newTenant();
        createTenant(tenant);
        String userId = UUID.randomUUID().toString();
        UUID scan = UUID.randomUUID();
        send(user(scan, tenant, POLICY, userId, Instant.now()));
        String exclusionId = awaitExclusions(tenant, 1).getString("items[0].id");
        assertThat(status(exclusionId)).isEqualTo("UNAPPROVED");

        String exceptionId = requester().body(Map.of("tenantId", tenant, "policyId", POLICY, "category", "LEGACY_APP",
                        "justification", "scanner cannot do MFA", "ticketRef", "PSA-1", "expiresAt", inDays(60),
                        "principals", List.of(Map.of("id", userId, "type", "USER"))))
                .post("/api/v1/exceptions").then().statusCode(201).extract().path("id");
        assertThat(status(exclusionId)).isEqualTo("PENDING");

        approver().body("{}").post("/api/v1/exceptions/" + exceptionId + "/approve").then().statusCode(200);
        assertThat(status(exclusionId)).isEqualTo("APPROVED");

        LifecycleJob.Result expiring = lifecycle.run(Instant.now().plus(50, ChronoUnit.DAYS));
        assertThat(expiring.ran()).isTrue();
        assertThat(status(exclusionId)).isEqualTo("EXPIRING");

        lifecycle.run(Instant.now().plus(61, ChronoUnit.DAYS));
        assertThat(status(exclusionId)).isEqualTo("EXPIRED");
        reader().get("/api/v1/exceptions/" + exceptionId).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.is("EXPIRED"));

        UUID scan2 = UUID.randomUUID();
        send(completed(scan2, tenant, ScanStatus.COMPLETE, 0, Instant.now()));
        awaitScanReconciled(scan2);
        assertThat(status(exclusionId)).isEqualTo("REMOVED");
        reader().get("/api/v1/exclusions/" + exclusionId).then().statusCode(200)
                .body("history.action", org.hamcrest.Matchers.hasItems("EXCLUSION_DETECTED", "EXCLUSION_STATUS_CHANGED", "EXCLUSION_REMOVED"));

        List<AlertRaised> alerts = alerts(tenant, a -> a.stream().anyMatch(x -> x.kind() == AlertKind.EXCLUSION_REMOVED));
        assertThat(alerts).extracting(AlertRaised::kind).contains(AlertKind.UNAPPROVED_EXCLUSION, AlertKind.EXPIRING,
                AlertKind.EXPIRED, AlertKind.EXCLUSION_REMOVED);
    }

    @Test
    void anExceptionOnAGroupCoversItsMembersAndBecomesOrphanedWhenNothingIsLeft() {
        String tenant = newTenant();
        createTenant(tenant);
        String group = UUID.randomUUID().toString();
        UUID scan = UUID.randomUUID();
        Instant t1 = Instant.now().minusSeconds(60);
        send(viaGroup(scan, tenant, POLICY, group, UUID.randomUUID().toString(), t1));
        send(viaGroup(scan, tenant, POLICY, group, UUID.randomUUID().toString(), t1));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 2, t1.minusSeconds(1)));
        awaitScanReconciled(scan);

        String exceptionId = requester().body(Map.of("tenantId", tenant, "category", "LEGACY_APP",
                        "justification", "legacy connector group", "ticketRef", "PSA-2", "expiresAt", inDays(80),
                        "principals", List.of(Map.of("id", group, "type", "GROUP", "displayName", "Legacy Scanners"))))
                .post("/api/v1/exceptions").then().statusCode(201).extract().path("id");
        approver().body("{}").post("/api/v1/exceptions/" + exceptionId + "/approve").then().statusCode(200);
        assertThat(exclusions(tenant, "").getList("items.status")).containsExactly("APPROVED", "APPROVED");
        assertThat(exclusions(tenant, "").getList("items.exceptionId")).containsOnly(exceptionId);

        UUID empty = UUID.randomUUID();
        send(completed(empty, tenant, ScanStatus.COMPLETE, 0, Instant.now()));
        awaitScanReconciled(empty);
        reader().get("/api/v1/exceptions/" + exceptionId).then().statusCode(200)
                .body("orphaned", org.hamcrest.Matchers.is(true));
        assertThat(alerts(tenant, a -> a.stream().anyMatch(x -> x.kind() == AlertKind.ORPHANED_EXCEPTION)))
                .filteredOn(a -> a.kind() == AlertKind.ORPHANED_EXCEPTION).singleElement()
                .satisfies(a -> assertThat(a.exceptionId()).isEqualTo(exceptionId));
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicWithItsReasonAndConsumptionGoesOn() {
        String tenant = newTenant();
        String garbage = "{\"eventType\":\"ScanCompleted\", not json " + UUID.randomUUID();
        UUID after = UUID.randomUUID();

        kafka().send(Topics.SCAN_RESULTS, tenant, garbage);
        send(completed(after, tenant, ScanStatus.COMPLETE, 0, Instant.now()));

        awaitScanReconciled(after);
        List<ConsumerRecord<String, String>> dead = kafka().readUntil(Topics.deadLetter(Topics.SCAN_RESULTS),
                Duration.ofSeconds(30), records -> records.stream().anyMatch(r -> garbage.equals(r.value())));
        ConsumerRecord<String, String> deadLetter = dead.stream().filter(r -> garbage.equals(r.value())).findFirst()
                .orElseThrow(() -> new AssertionError("malformed record not found on the DLQ"));
        assertThat(deadLetter.key()).isEqualTo(tenant);
        assertThat(new String(deadLetter.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("not JSON");
    }

    @Test
    void aRecordOfAnotherEventTypeIsDeadLetteredWithItsEventIdAndWhereItCameFrom() {
        String tenant = newTenant();
        EventEnvelope<AlertRaised> misplaced = EventEnvelope.wrap(new AlertRaised("SCAN_FAILED:" + tenant + ":x", tenant,
                AlertKind.SCAN_FAILED, io.mfagov.model.events.Severity.HIGH, "misplaced", null, null, Map.of(), null,
                Instant.now()), Instant.now());
        String value = io.mfagov.model.kafka.EventRecords.toRecord(misplaced).value();
        UUID after = UUID.randomUUID();

        kafka().send(Topics.SCAN_RESULTS, tenant, value);
        send(completed(after, tenant, ScanStatus.COMPLETE, 0, Instant.now()));

        awaitScanReconciled(after);
        ConsumerRecord<String, String> deadLetter = kafka().readUntil(Topics.deadLetter(Topics.SCAN_RESULTS),
                        Duration.ofSeconds(30), records -> records.stream().anyMatch(r -> value.equals(r.value())))
                .stream().filter(r -> value.equals(r.value())).findFirst()
                .orElseThrow(() -> new AssertionError("misplaced record not found on the DLQ"));
        assertThat(header(deadLetter, "dead-letter-reason")).contains("does not belong on the scan results topic");
        assertThat(header(deadLetter, "dead-letter-event-id")).isEqualTo(misplaced.eventId().toString());
        assertThat(header(deadLetter, "dead-letter-topic")).isEqualTo(Topics.SCAN_RESULTS);
        assertThat(header(deadLetter, "dead-letter-offset")).matches("\\d+");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private String status(String exclusionId) {
        return reader().get("/api/v1/exclusions/" + exclusionId).then().statusCode(200).extract().path("status");
    }

    static JsonPath exclusions(String tenant, String query) {
        return reader().get("/api/v1/exclusions?tenantId=" + tenant + query).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitExclusions(String tenant, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> exclusions(tenant, "&includeRemoved=true"),
                j -> j.getList("items").size() >= count);
    }

    private void awaitScanReconciled(UUID scanId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scanReconciliation(scanId) != null);
    }

    private String scanReconciliation(UUID scanId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            io.mfagov.register.entity.Scan scan = em.find(io.mfagov.register.entity.Scan.class, scanId);
            return scan == null ? null : scan.reconciliation;
        });
    }

    private long outboxRows(String tenant) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(o) from OutboxMessage o where o.messageKey = :t", Long.class).setParameter("t", tenant).getSingleResult());
    }
}
