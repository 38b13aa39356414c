package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ClosingPolicy;
import io.mfagov.model.events.CoverageFinding;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.model.events.UncoveredReason;
import io.mfagov.model.events.UncoveredUser;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ViaKind;
import io.mfagov.model.kafka.EventRecords;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Builders and clients shared by the register's tests. Every test uses its own tenant, so tests are independent. */
final class RegisterTestSupport {

    static final String ADMIN = "ada.admin@msp.example";
    static final String APPROVER = "alan.approver@msp.example";
    static final String APPROVER_2 = "grace.approver@msp.example";
    static final String REQUESTER = "rita.requester@msp.example";
    static final String READER = "rob.reader@msp.example";

    private static KafkaTestClient kafka;

    private RegisterTestSupport() {
    }

    static synchronized KafkaTestClient kafka() {
        if (kafka == null) {
            kafka = new KafkaTestClient(KafkaTestResource.bootstrapServers());
        }
        return kafka;
    }

    static String newTenant() {
        return UUID.randomUUID().toString();
    }

    static RequestSpecification as(String user, String... roles) {
        return RestAssured.given().auth().oauth2(TestTokens.token(user, roles)).contentType(ContentType.JSON);
    }

    static RequestSpecification admin() {
        return as(ADMIN, "admin");
    }

    static RequestSpecification approver() {
        return as(APPROVER, "approver");
    }

    static RequestSpecification requester() {
        return as(REQUESTER, "requester");
    }

    static RequestSpecification reader() {
        return as(READER, "reader");
    }

    static void createTenant(String tenantId) {
        admin().body(Map.of("tenantId", tenantId, "displayName", "Contoso " + tenantId.substring(0, 8)))
                .post("/api/v1/tenants").then().statusCode(201);
    }

    static ExclusionDetected user(UUID scanId, String tenantId, String policyId, String userId, Instant at) {
        return new ExclusionDetected(scanId, tenantId,
                new PolicyRef(policyId, "Require MFA for all users", PolicyState.ENABLED, MfaRequirement.BUILT_IN_MFA, null),
                new Principal(userId, PrincipalType.USER, "u-" + userId.substring(0, 6) + "@contoso.example",
                        "User " + userId.substring(0, 6), "Member", true, true, null),
                Via.direct(userId), at);
    }

    static ExclusionDetected viaGroup(UUID scanId, String tenantId, String policyId, String groupId, String userId, Instant at) {
        return new ExclusionDetected(scanId, tenantId,
                new PolicyRef(policyId, "Require MFA for all users", PolicyState.ENABLED, MfaRequirement.BUILT_IN_MFA, null),
                new Principal(userId, PrincipalType.USER, "svc-" + userId.substring(0, 6) + "@contoso.example",
                        "Scanner " + userId.substring(0, 6), "Member", true, true, null),
                new Via(ViaKind.GROUP, groupId, "Legacy Scanners", List.of(new PathStep(ViaKind.GROUP, groupId, "Legacy Scanners"))),
                at);
    }

    /** The detection with the whole-policy facts of ExclusionDetected (issue 13). */
    static ExclusionDetected withFacts(ExclusionDetected d, Boolean inScope, String policyTarget, Boolean eligible,
            Boolean shadowed, ClosingPolicy closedBy, Map<String, String> details, List<String> flags) {
        return new ExclusionDetected(d.scanId(), d.tenantId(), d.policy(), d.principal(), d.via(), d.observedAt(), inScope,
                policyTarget, eligible, shadowed, closedBy, details, flags);
    }

    /** A hole of the policy itself (via CONDITION): e.g. PLATFORM {@code platform:linux} "Linux". */
    static ExclusionDetected hole(UUID scanId, String tenantId, String policyId, PrincipalType type, String id, String name,
            Instant at) {
        return new ExclusionDetected(scanId, tenantId,
                new PolicyRef(policyId, "Require MFA for all users", PolicyState.ENABLED, MfaRequirement.BUILT_IN_MFA, null),
                new Principal(id, type, null, name, null, null, true, null),
                new Via(ViaKind.CONDITION, id, name, List.of()), at, null, "allApps", null, null, null, Map.of(), List.of());
    }

    /** An uncovered user of a scan's coverage. */
    static UncoveredUser uncovered(String id, String upn, UncoveredReason reason, Boolean privileged) {
        return new UncoveredUser(id, upn, "User " + upn, "Member", reason, privileged);
    }

    /**
     * A scan's coverage: NO_MFA_ENFORCEMENT (no enabled MFA policy, security defaults off) or two enabled MFA policies;
     * every user covered unless some are listed.
     */
    static CoverageObserved coverage(UUID scanId, String tenantId, Instant observedAt, boolean noMfaEnforcement,
            List<UncoveredUser> users) {
        return new CoverageObserved(scanId, tenantId, false, noMfaEnforcement ? 0 : 2, 1, users.isEmpty(), 40,
                users.size(), users, false, noMfaEnforcement ? List.of(CoverageFinding.NO_MFA_ENFORCEMENT) : List.of(),
                observedAt);
    }

    static ScanCompleted completed(UUID scanId, String tenantId, ScanStatus status, int detections, Instant startedAt) {
        return new ScanCompleted(scanId, null, tenantId, status, startedAt, Instant.now(), detections, 10,
                status == ScanStatus.COMPLETE ? null : "consent revoked", List.of(), 3, false);
    }

    static <T extends EventPayload> EventEnvelope<T> send(T payload) {
        EventEnvelope<T> envelope = EventEnvelope.wrap(payload, Instant.now());
        send(envelope);
        return envelope;
    }

    static void send(EventEnvelope<?> envelope) {
        kafka().send(EventRecords.toRecord(envelope));
    }

    /** Alerts on mfagov.alerts for the tenant, read until the predicate holds (or 20 s). */
    static List<AlertRaised> alerts(String tenantId, Predicate<List<AlertRaised>> until) {
        List<ConsumerRecord<String, String>> records = kafka().readUntil(Topics.ALERTS, Duration.ofSeconds(20),
                rs -> until.test(decode(rs, tenantId)));
        return decode(records, tenantId);
    }

    /**
     * The tenant's alerts so far, without duplicates going unnoticed: a FAILED scan is sent as a marker and the alerts
     * before its SCAN_FAILED are returned (same key, same partition, so any alert raised before comes before it). The
     * tenant's previous scan must not have failed (SCAN_FAILED is raised once per failure streak).
     */
    static List<AlertRaised> alertsSoFar(String tenantId) {
        UUID marker = UUID.randomUUID();
        send(completed(marker, tenantId, ScanStatus.FAILED, 0, Instant.now()));
        String markerId = "SCAN_FAILED:" + tenantId + ":" + marker;
        List<AlertRaised> all = alerts(tenantId, a -> a.stream().anyMatch(x -> markerId.equals(x.alertId())));
        int end = all.stream().map(AlertRaised::alertId).toList().indexOf(markerId);
        if (end < 0) {
            throw new AssertionError("the marker alert " + markerId + " did not arrive; alerts: " + all);
        }
        List<AlertRaised> before = all.subList(0, end);
        return before.stream().filter(a -> a.kind() != io.mfagov.model.events.AlertKind.SCAN_FAILED).toList();
    }

    private static List<AlertRaised> decode(List<ConsumerRecord<String, String>> records, String tenantId) {
        return records.stream().filter(r -> tenantId.equals(r.key()))
                .map(r -> EventCodec.get().decode(r.value(), AlertRaised.class).payload()).toList();
    }

    /** A separate JDBC connection to the service's database (not autocommit), to hold locks the service waits for. */
    static java.sql.Connection otherConnection() throws java.sql.SQLException {
        java.sql.Connection c = java.sql.DriverManager.getConnection(
                io.mfagov.devstack.testing.PostgresTestResource.jdbcUrl(),
                io.mfagov.devstack.testing.PostgresTestResource.username(),
                io.mfagov.devstack.testing.PostgresTestResource.password());
        c.setAutoCommit(false);
        return c;
    }

    /** How many sessions of the database are waiting for a lock (any holder). */
    static int waitingSessions(java.sql.Connection c) throws java.sql.SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            // c usually holds a transaction open (to keep a lock), and PostgreSQL keeps the pg_stat_activity it read
            // first in a transaction: without clearing it, a backend that connected later is never seen.
            s.execute("select pg_stat_clear_snapshot()");
            try (java.sql.ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity"
                    + " where datname = current_database() and cardinality(pg_blocking_pids(pid)) > 0")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Waits until {@code n} sessions wait for a lock; on timeout fails with what every session is doing. */
    static void awaitWaitingSessions(java.sql.Connection c, int n, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (waitingSessions(c) < n) {
            if (Instant.now().isAfter(deadline)) {
                StringBuilder sessions = new StringBuilder();
                try (java.sql.Statement clear = c.createStatement()) {
                    clear.execute("select pg_stat_clear_snapshot()");
                }
                try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                        "select pid, state, wait_event_type, wait_event, pg_blocking_pids(pid)::text, left(query, 120)"
                                + " from pg_stat_activity where datname = current_database()")) {
                    while (rs.next()) {
                        sessions.append('\n').append(rs.getInt(1)).append(' ').append(rs.getString(2)).append(' ')
                                .append(rs.getString(3)).append('/').append(rs.getString(4)).append(" blocked by ")
                                .append(rs.getString(5)).append(": ").append(rs.getString(6));
                    }
                }
                throw new AssertionError("fewer than " + n + " sessions waiting for a lock:" + sessions);
            }
            Thread.sleep(100);
        }
    }

    static String inDays(long days) {
        return Instant.now().plus(Duration.ofDays(days)).toString();
    }
}
