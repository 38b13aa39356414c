package io.mfagov.scanner;

import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.graphsim.FaultSpec;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventHeaders;
import io.mfagov.model.Topics;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.GapKind;
import io.mfagov.model.events.MfaGapDetected;
import io.mfagov.model.events.TenantPostureObserved;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ScanReason;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.scanner.support.GraphSimulatorResource;
import io.mfagov.scanner.support.TestTenants;
import io.mfagov.devstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.hasSize;

/** Real broker, real Graph SDK against the simulator: scan requests in, detections then completion out. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(GraphSimulatorResource.class)
@WithTestResource(TestTokens.class)
class ScanRequestFlowTest {

    @jakarta.inject.Inject
    io.mfagov.scanner.messaging.ScanResultPublisher publisher;

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(KafkaTestResource.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aScanRequestIsAnsweredWithEveryDetectionCoverageGapsAndPostureThenScanCompletedKeyedByTenant() {
        ScanRequested request = new ScanRequested(UUID.randomUUID(), TestTenants.FULL, "Full", ScanReason.MANUAL,
                Instant.now(), "test", null);

        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(request, Instant.now())));

        ConsumerRecord<String, String> answer = awaitCompletionOf(request.requestId());
        assertThat(answer.key()).isEqualTo(TestTenants.FULL);
        assertThat(EventRecords.header(answer.headers(), EventHeaders.EVENT_TYPE)).isEqualTo("ScanCompleted");
        assertThat(EventRecords.header(answer.headers(), EventHeaders.SCHEMA_VERSION)).isEqualTo("1");
        ScanCompleted completed = EventCodec.get().decode(answer.value(), ScanCompleted.class).payload();
        assertThat(completed.status()).isEqualTo(ScanStatus.COMPLETE);
        // what Graph's throttling counts (each request inside a $batch): see TenantScannerTest for the breakdown of the
        // 15 directory reads; then the beta batch: 3 sign-in listings (an app is excluded) and the per-user MFA state of
        // the 7 uncovered users
        assertThat(completed.graphRequestCount()).isEqualTo(15 + 3 + 7);
        assertThat(completed.policiesEvaluated()).isEqualTo(3);

        List<ConsumerRecord<String, String>> all = kafka.readUntil(Topics.SCAN_RESULTS, Duration.ofSeconds(10),
                rs -> rs.contains(answer));
        List<ConsumerRecord<String, String>> scan = all.stream()
                .filter(r -> r.value().contains(completed.scanId().toString())).toList();
        int n = completed.detectionCount();
        List<String> types = scan.stream().map(r -> EventRecords.header(r.headers(), EventHeaders.EVENT_TYPE)).toList();
        assertThat(scan.get(scan.size() - 1).offset()).as("ScanCompleted follows everything of its scan")
                .isEqualTo(scan.stream().mapToLong(ConsumerRecord::offset).max().orElseThrow());
        assertThat(types.subList(0, n)).containsOnly("ExclusionDetected");
        assertThat(types.get(n)).as("CoverageObserved comes after the detections").isEqualTo("CoverageObserved");
        int firstUsage = types.indexOf("ExclusionUsageObserved");
        List<String> gapTypes = types.subList(n + 1, firstUsage);
        assertThat(gapTypes).as("the MFA gaps follow the coverage (the FULL tenant's users registered nothing)")
                .isNotEmpty().containsOnly("MfaGapDetected");
        assertThat(types.subList(firstUsage, types.size() - 2)).as("then the evidence of use of each excluded principal")
                .isNotEmpty().containsOnly("ExclusionUsageObserved");
        assertThat(types.subList(types.size() - 2, types.size())).as("posture, then ScanCompleted last")
                .containsExactly("TenantPostureObserved", "ScanCompleted");
        MfaGapDetected gap = EventCodec.get().decode(scan.get(n + 1).value(), MfaGapDetected.class).payload();
        assertThat(gap.scanId()).isEqualTo(completed.scanId());
        assertThat(gap.kind()).isEqualTo(GapKind.NOT_REGISTERED);
        TenantPostureObserved posture = EventCodec.get().decode(scan.get(scan.size() - 2).value(),
                TenantPostureObserved.class).payload();
        long notRegistered = scan.subList(n + 1, firstUsage).stream()
                .map(r -> EventCodec.get().decode(r.value(), MfaGapDetected.class).payload())
                .filter(g -> g.kind() == GapKind.NOT_REGISTERED).count();
        assertThat(posture.notRegistered()).isEqualTo((int) notRegistered).isPositive();
        assertThat(posture.signInWindowDays()).isEqualTo(30);
        assertThat(posture.missingSignals()).isEmpty();
        ConsumerRecord<String, String> coverageRecord = scan.get(n);
        CoverageObserved coverage = EventCodec.get().decode(coverageRecord.value(), CoverageObserved.class).payload();
        assertThat(coverage.scanId()).isEqualTo(completed.scanId());
        assertThat(coverage.enabledMfaPolicies()).isPositive();
        assertThat(coverage.securityDefaultsEnabled()).isFalse();
        List<ExclusionDetected> detections = scan.subList(0, n).stream()
                .map(r -> EventCodec.get().decode(r.value(), ExclusionDetected.class).payload()).toList();
        assertThat(scan).allSatisfy(r -> assertThat(r.key()).isEqualTo(TestTenants.FULL));
        assertThat(detections).anySatisfy(d -> {
            assertThat(d.principal().id()).isEqualTo(TestTenants.HOST_1);
            assertThat(d.via().describe()).isEqualTo("group:Legacy Scanners > group:Scanner Hosts");
        });
        assertThat(detections).anySatisfy(d -> {
            assertThat(d.principal().id()).isEqualTo(TestTenants.DELETED_USER);
            assertThat(d.principal().resolved()).isFalse();
        });
        assertThat(detections).extracting(d -> d.principal().type()).contains(PrincipalType.USER,
                PrincipalType.GUEST_RULE, PrincipalType.APPLICATION, PrincipalType.LOCATION, PrincipalType.ROLE,
                PrincipalType.GROUP)
                .as("a service principal inside an excluded group is no user row").doesNotContain(PrincipalType.SERVICE_PRINCIPAL);
        assertThat(all.stream().map(ConsumerRecord::value)).noneMatch(v -> v.contains("sim-static"));
    }

    @Test
    void aTenantWithRevokedConsentIsReportedFailedAndTheNextTenantIsStillScanned() {
        GraphSimulatorResource.simulator().admin().setTenantFaults(TestTenants.F1, FaultSpec.none().withConsentRevoked(403));
        try {
            ScanRequested revoked = new ScanRequested(UUID.randomUUID(), TestTenants.F1, null, ScanReason.SCHEDULED,
                    Instant.now(), "scheduler", null);
            ScanRequested fine = new ScanRequested(UUID.randomUUID(), TestTenants.EMPTY, null, ScanReason.SCHEDULED,
                    Instant.now(), "scheduler", null);
            kafka.send(EventRecords.toRecord(EventEnvelope.wrap(revoked, Instant.now())));
            kafka.send(EventRecords.toRecord(EventEnvelope.wrap(fine, Instant.now())));

            ScanCompleted failed = EventCodec.get().decode(awaitCompletionOf(revoked.requestId()).value(),
                    ScanCompleted.class).payload();
            assertThat(failed.status()).isEqualTo(ScanStatus.FAILED);
            assertThat(failed.detectionCount()).isZero();
            assertThat(failed.error()).contains("403");
            ScanCompleted ok = EventCodec.get().decode(awaitCompletionOf(fine.requestId()).value(),
                    ScanCompleted.class).payload();
            assertThat(ok.status()).isEqualTo(ScanStatus.COMPLETE);
        } finally {
            GraphSimulatorResource.simulator().admin().clearFaults();
        }
    }

    @Test
    void aMalformedScanRequestGoesToTheDeadLetterTopicAndTheNextIsStillServed() {
        String tenant = TestTenants.EMPTY;
        String bad = "{\"eventType\":\"ScanRequested\",\"schemaVersion\":1,\"eventId\":\"" + UUID.randomUUID()
                + "\",\"occurredAt\":\"2026-11-27T10:00:00Z\",\"tenantId\":\"" + tenant + "\",\"payload\":{\"tenantId\":\""
                + tenant + "\",\"reason\":\"MANUAL\"}}";
        ScanRequested good = new ScanRequested(UUID.randomUUID(), tenant, null, ScanReason.API, Instant.now(), "test", null);

        kafka.send(Topics.SCAN_REQUESTS, tenant, bad);
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(good, Instant.now())));

        awaitCompletionOf(good.requestId());
        ConsumerRecord<String, String> dead = kafka.readUntil(Topics.deadLetter(Topics.SCAN_REQUESTS),
                        Duration.ofSeconds(30), records -> records.stream().anyMatch(r -> bad.equals(r.value())))
                .stream().filter(r -> bad.equals(r.value())).findFirst()
                .orElseThrow(() -> new AssertionError("malformed request not found on the DLQ"));
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("requestId is required");
    }

    @Test
    void postingScansPublishesOneRequestPerTenantAndTheyAreScanned() {
        String requestId = given().auth().oauth2(TestTokens.token("psa-bot", "requester")).contentType(ContentType.JSON)
                .body("{\"tenantIds\":[\"" + TestTenants.EMPTY + "\"]}")
                .when().post("/api/v1/scans")
                .then().statusCode(202).body("scans", hasSize(1))
                .extract().path("scans[0].requestId");

        ScanRequested published = kafka.readUntil(Topics.SCAN_REQUESTS, Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> r.value().contains(requestId)))
                .stream().filter(r -> r.value().contains(requestId)).findFirst()
                .map(r -> EventCodec.get().decode(r.value(), ScanRequested.class).payload())
                .orElseThrow(() -> new AssertionError("request not published"));
        assertThat(published.requestedBy()).isEqualTo("psa-bot");
        ScanCompleted done = EventCodec.get().decode(awaitCompletionOf(UUID.fromString(requestId)).value(),
                ScanCompleted.class).payload();
        assertThat(done.tenantId()).isEqualTo(TestTenants.EMPTY);
        assertThat(done.status()).isEqualTo(ScanStatus.COMPLETE);
    }

    @Test
    void postingScansRejectsMissingOrMalformedTenantIds() {
        String token = TestTokens.token("psa-bot", "requester");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"tenantIds\":[]}").when().post("/api/v1/scans")
                .then().statusCode(400).contentType("application/problem+json").body("field", is("tenantIds"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"tenantIds\":[\"not-a-guid\"]}")
                .when().post("/api/v1/scans")
                .then().statusCode(400).contentType("application/problem+json").body("field", is("tenantIds"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"tenantIds\":[],\"priority\":1}")
                .when().post("/api/v1/scans").then().statusCode(400).body("field", is("priority"));
    }

    @Test
    void manyLargeScansPublishingAtOnceLoseNothing() throws Exception {
        int scans = 4;
        int perScan = 5_000;
        List<UUID> scanIds = new java.util.ArrayList<>();
        List<java.util.concurrent.Callable<Void>> publishers = new java.util.ArrayList<>();
        for (int s = 0; s < scans; s++) {
            UUID scanId = UUID.randomUUID();
            scanIds.add(scanId);
            List<EventEnvelope<ExclusionDetected>> detections = new java.util.ArrayList<>();
            for (int i = 0; i < perScan; i++) {
                String user = UUID.randomUUID().toString();
                detections.add(EventEnvelope.wrap(new ExclusionDetected(scanId, TestTenants.LARGE,
                        new PolicyRef("policy-1", "Require MFA", PolicyState.ENABLED, MfaRequirement.BUILT_IN_MFA, null),
                        new Principal(user, PrincipalType.USER, user + "@large.example", null, "Member", true, true, null),
                        Via.direct(user), Instant.now()), Instant.now()));
            }
            publishers.add(() -> {
                publisher.publish(detections);
                return null;
            });
        }

        var pool = java.util.concurrent.Executors.newFixedThreadPool(scans);
        try {
            for (var done : pool.invokeAll(publishers)) {
                done.get(); // throws if a publish lost records
            }
        } finally {
            pool.shutdownNow();
        }

        java.util.Set<String> ids = scanIds.stream().map(UUID::toString).collect(java.util.stream.Collectors.toSet());
        long published = kafka.readUntil(Topics.SCAN_RESULTS, Duration.ofSeconds(60),
                        records -> records.stream().filter(r -> isDetectionOf(r, ids)).count() >= (long) scans * perScan)
                .stream().filter(r -> isDetectionOf(r, ids)).count();
        assertThat(published).isEqualTo((long) scans * perScan);
    }

    private static boolean isDetectionOf(ConsumerRecord<String, String> r, java.util.Set<String> scanIds) {
        return "ExclusionDetected".equals(EventRecords.header(r.headers(), EventHeaders.EVENT_TYPE))
                && scanIds.contains(EventRecords.header(r.headers(), EventHeaders.CORRELATION_ID));
    }

    @Test
    void postingScansNeedsAnAuthenticatedRequester() {
        String body = "{\"tenantIds\":[\"" + TestTenants.EMPTY + "\"]}";
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/scans").then().statusCode(401);
        given().auth().oauth2(TestTokens.foreignToken("mallory", "admin")).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/scans").then().statusCode(401);
        given().auth().oauth2(TestTokens.token("auditor", "reader")).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/scans").then().statusCode(403);
    }

    private static ConsumerRecord<String, String> awaitCompletionOf(UUID requestId) {
        List<ConsumerRecord<String, String>> results = kafka.readUntil(Topics.SCAN_RESULTS, Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> isCompletionOf(r, requestId)));
        return results.stream().filter(r -> isCompletionOf(r, requestId)).findFirst()
                .orElseThrow(() -> new AssertionError("no ScanCompleted for request " + requestId));
    }

    private static boolean isCompletionOf(ConsumerRecord<String, String> r, UUID requestId) {
        return "ScanCompleted".equals(EventRecords.header(r.headers(), EventHeaders.EVENT_TYPE))
                && r.value().contains(requestId.toString());
    }
}
