package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ExclusionUsageObserved;
import io.mfagov.model.events.GapKind;
import io.mfagov.model.events.MfaGapDetected;
import io.mfagov.model.events.MissingSignal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.Severity;
import io.mfagov.model.events.TenantPostureObserved;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alerts of a scan's gap signals, fed through mfagov.scan-results and read from mfagov.alerts: SINGLE_FACTOR_SIGNINS
 * (new or rising), NOT_REGISTERED_PRIVILEGED (once per episode), UNUSED_EXCEPTION (from the register's own history of
 * scans, again only after a use); nothing from a scan whose posture names the signal missing; and the usage verdict
 * on exclusion and exception views. Real broker, real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class GapSignalAlertsTest {

    private static final String POLICY = "22222222-3333-4444-5555-666666666666";
    /** Whole days, so that history lengths come out exact. */
    private static final Instant D = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);

    @Inject
    EntityManager em;

    @Test
    void singleFactorSignInsAreAlertedWhenNewOrRisingOnceEachAndNeverFromAScanThatCouldNotReadSignIns() {
        String tenant = newTenant();
        createTenant(tenant);
        String bob = UUID.randomUUID().toString();
        String carol = UUID.randomUUID().toString();
        String dave = UUID.randomUUID().toString();
        Instant t1 = daysAgo(3);
        UUID s1 = UUID.randomUUID();
        List<EventPayload> first = List.of(user(s1, tenant, POLICY, bob, t1), singleFactor(s1, tenant, bob, "bob", false, 4, t1),
                posture(s1, tenant, t1));
        scan(s1, tenant, t1, 1, first);
        scan(UUID.randomUUID(), tenant, daysAgo(2), 0,
                List.of(singleFactor(null, tenant, bob, "bob", false, 5, daysAgo(2)))); // steady: nothing
        scan(UUID.randomUUID(), tenant, daysAgo(1), 0, List.of( // sign-ins refused: nothing, and not a baseline
                singleFactor(null, tenant, bob, "bob", false, 50, daysAgo(1)),
                singleFactor(null, tenant, dave, "dave", true, 3, daysAgo(1))),
                new MissingSignal("signIns", "403 Authentication_RequestFromNonPremiumTenantOrB2CTenant"));
        UUID s4 = UUID.randomUUID();
        scan(s4, tenant, daysAgo(0), 0, List.of(singleFactor(null, tenant, bob, "bob", false, 10, daysAgo(0)),
                singleFactor(null, tenant, carol, "carol", true, 2, daysAgo(0))));
        scan(s1, tenant, t1, 1, first); // the first scan replayed (new event ids)

        List<AlertRaised> raised = ofKind(alertsSoFar(tenant), AlertKind.SINGLE_FACTOR_SIGNINS);
        assertThat(raised).extracting(AlertRaised::alertId).containsExactlyInAnyOrder(
                "SINGLE_FACTOR_SIGNINS:" + tenant + ":" + bob + ":" + s1,
                "SINGLE_FACTOR_SIGNINS:" + tenant + ":" + bob + ":" + s4,
                "SINGLE_FACTOR_SIGNINS:" + tenant + ":" + carol + ":" + s4);
        AlertRaised bobNew = byId(raised, "SINGLE_FACTOR_SIGNINS:" + tenant + ":" + bob + ":" + s1);
        assertThat(bobNew.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(bobNew.subject()).contains("bob@contoso.example", "4 times");
        assertThat(bobNew.facts()).containsEntry("User", "bob@contoso.example").containsEntry("User id", bob)
                .containsEntry("Single-factor sign-ins", "4 (new)")
                .containsEntry("Apps", "Office 365 Exchange Online").containsEntry("Client apps", "Exchange ActiveSync")
                .containsEntry("Last seen", t1.minusSeconds(600).toString()).containsEntry("Privileged", "no")
                .containsEntry("Excluded", "'Require MFA for all users' (UNAPPROVED)");
        assertThat(bobNew.facts().get("Suggested action")).contains("close that way");
        assertThat(byId(raised, "SINGLE_FACTOR_SIGNINS:" + tenant + ":" + bob + ":" + s4).facts())
                .containsEntry("Single-factor sign-ins", "10 (previous scan: 5)");
        AlertRaised carolNew = byId(raised, "SINGLE_FACTOR_SIGNINS:" + tenant + ":" + carol + ":" + s4);
        assertThat(carolNew.severity()).isEqualTo(Severity.HIGH);
        assertThat(carolNew.subject()).startsWith("Privileged user carol@contoso.example");
        assertThat(carolNew.facts()).containsEntry("Privileged", "yes").containsEntry("Excluded", "no");
    }

    @Test
    void aPrivilegedUserWhoCannotDoMfaIsAlertedOncePerEpisodeAndNeverFromAScanThatCouldNotReadRegistration() {
        String tenant = newTenant();
        createTenant(tenant);
        String admin = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String eve = UUID.randomUUID().toString();
        UUID s1 = UUID.randomUUID();
        List<EventPayload> first = List.of(registration(s1, tenant, admin, "admin", GapKind.NOT_REGISTERED, true, daysAgo(7)),
                registration(s1, tenant, bob, "bob", GapKind.NOT_REGISTERED, false, daysAgo(7)), posture(s1, tenant, daysAgo(7)));
        scan(s1, tenant, daysAgo(7), 0, first);
        scan(UUID.randomUUID(), tenant, daysAgo(6), 0,
                List.of(registration(null, tenant, admin, "admin", GapKind.NOT_REGISTERED, true, daysAgo(6))));
        scan(UUID.randomUUID(), tenant, daysAgo(5), 0,
                List.of(registration(null, tenant, admin, "admin", GapKind.NOT_CAPABLE, true, daysAgo(5))));
        scan(UUID.randomUUID(), tenant, daysAgo(4), 0, // registration refused: nothing, and not a baseline
                List.of(registration(null, tenant, eve, "eve", GapKind.NOT_REGISTERED, true, daysAgo(4))),
                new MissingSignal("registration", "403 Authentication_RequestFromNonPremiumTenantOrB2CTenant"));
        scan(UUID.randomUUID(), tenant, daysAgo(3), 0,
                List.of(registration(null, tenant, admin, "admin", GapKind.NOT_CAPABLE, true, daysAgo(3))));
        scan(UUID.randomUUID(), tenant, daysAgo(2), 0, List.of()); // the admin registered: the episode ends
        UUID s7 = UUID.randomUUID();
        scan(s7, tenant, daysAgo(1), 0,
                List.of(registration(null, tenant, admin, "admin", GapKind.NOT_REGISTERED, true, daysAgo(1))));
        scan(s1, tenant, daysAgo(7), 0, first); // replayed

        List<AlertRaised> raised = ofKind(alertsSoFar(tenant), AlertKind.NOT_REGISTERED_PRIVILEGED);
        assertThat(raised).extracting(AlertRaised::alertId).containsExactly(
                "NOT_REGISTERED_PRIVILEGED:" + tenant + ":" + admin + ":" + s1,
                "NOT_REGISTERED_PRIVILEGED:" + tenant + ":" + admin + ":" + s7);
        assertThat(raised.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(raised.get(0).subject()).startsWith("Privileged user admin@contoso.example in Contoso ")
                .contains("cannot do MFA");
        assertThat(raised.get(0).facts()).containsEntry("User", "admin@contoso.example")
                .containsEntry("Gap", "NOT_REGISTERED: no MFA method registered");
        assertThat(raised.get(0).facts().get("Suggested action")).contains("register");
    }

    @Test
    void anApprovedExceptionNobodyUsesIsAlertedOnceSuggestingRetirementAndAgainOnlyAfterItWasUsedAndThenNotAgain() {
        String tenant = newTenant();
        createTenant(tenant);
        String svc = UUID.randomUUID().toString();
        UUID s1 = UUID.randomUUID();
        scan(s1, tenant, daysAgo(300), 1, usageScan(s1, tenant, svc, daysAgo(300), daysAgo(310)));
        awaitComplete(s1);
        String exceptionId = approvedException(tenant, svc);

        scan(UUID.randomUUID(), tenant, daysAgo(270), 1, usageScan(null, tenant, svc, daysAgo(270), null));
        scan(UUID.randomUUID(), tenant, daysAgo(240), 1, usageScan(null, tenant, svc, daysAgo(240), null)); // 70 days
        UUID s4 = UUID.randomUUID();
        List<EventPayload> fourth = usageScan(s4, tenant, svc, daysAgo(210), null); // 100 days: unused
        scan(s4, tenant, daysAgo(210), 1, fourth);
        scan(UUID.randomUUID(), tenant, daysAgo(205), 1, usageScan(null, tenant, svc, daysAgo(205), null)); // still
        scan(UUID.randomUUID(), tenant, daysAgo(180), 1, usageScan(null, tenant, svc, daysAgo(180), daysAgo(185))); // used
        scan(UUID.randomUUID(), tenant, daysAgo(150), 1, usageScan(null, tenant, svc, daysAgo(150), null));
        scan(UUID.randomUUID(), tenant, daysAgo(120), 1, usageScan(null, tenant, svc, daysAgo(120), null)); // 65 days
        scan(UUID.randomUUID(), tenant, daysAgo(90), 1, usageScan(null, tenant, svc, daysAgo(90), null)); // 95: unused again

        List<AlertRaised> raised = ofKind(alertsSoFar(tenant), AlertKind.UNUSED_EXCEPTION);
        String principal = ":USER:" + svc + ":";
        assertThat(raised).extracting(AlertRaised::alertId).containsExactly(
                "UNUSED_EXCEPTION:" + exceptionId + principal + daysAgo(310).toString().substring(0, 10),
                "UNUSED_EXCEPTION:" + exceptionId + principal + daysAgo(185).toString().substring(0, 10));
        AlertRaised first = raised.get(0);
        assertThat(first.severity()).isEqualTo(Severity.LOW);
        assertThat(first.exceptionId()).isEqualTo(exceptionId);
        assertThat(first.subject()).contains("is unused", "retire it");
        assertThat(first.facts()).containsEntry("Last sign-in", daysAgo(310).toString())
                .containsEntry("Unused for", "100 days (threshold 90 days)")
                .containsEntry("Sign-in history", "120 days, since " + daysAgo(330).toString().substring(0, 10))
                .containsEntry("Policies", "Require MFA for all users").containsEntry("Category", "LEGACY_APP");
        assertThat(first.facts().get("Suggested action")).startsWith("Retire the exception");

        scan(s4, tenant, daysAgo(210), 1, fourth); // a replay of the fourth scan raises nothing new
        assertThat(ofKind(alertsSoFar(tenant), AlertKind.UNUSED_EXCEPTION)).hasSize(2);

        JsonPath exception = reader().get("/api/v1/exceptions/" + exceptionId).then().statusCode(200).extract().jsonPath();
        assertThat(exception.getString("usage.verdict")).isEqualTo("UNUSED");
        assertThat(exception.getInt("usage.unusedAfterDays")).isEqualTo(90);
        assertThat(exception.getString("usage.principals[0].principalId")).isEqualTo(svc);
        assertThat(exception.getString("usage.principals[0].lastSignIn")).isEqualTo(daysAgo(185).toString());
        assertThat(exception.getInt("usage.principals[0].daysSinceLastSignIn")).isEqualTo(95);
        assertThat(exception.getInt("usage.principals[0].historyDays")).isEqualTo(240);
        JsonPath exclusions = reader().get("/api/v1/exclusions?tenantId=" + tenant).then().statusCode(200).extract().jsonPath();
        assertThat(exclusions.getString("items[0].usage.verdict")).isEqualTo("UNUSED");
        assertThat(exclusions.getString("items[0].usage.asOf")).isEqualTo(daysAgo(90).toString());
        // the alert carries the exclusion's documented risk score (docs/risk-score.md), as the API shows it
        assertThat(raised.get(1).facts().get("Risk score"))
                .startsWith(exclusions.getInt("items[0].riskScore") + "/100")
                .contains("enabled account +5");
    }

    @Test
    void whileTheHistoryIsShorterThanTheThresholdTheVerdictSaysSoAndARefusedReadNeitherAlertsNorCounts() {
        String tenant = newTenant();
        createTenant(tenant);
        String svc = UUID.randomUUID().toString();
        UUID s1 = UUID.randomUUID();
        scan(s1, tenant, daysAgo(240), 1, usageScan(s1, tenant, svc, daysAgo(240), null));
        awaitComplete(s1);
        String exceptionId = approvedException(tenant, svc);
        scan(UUID.randomUUID(), tenant, daysAgo(210), 1, usageScan(null, tenant, svc, daysAgo(210), null));
        List<EventPayload> refused = new ArrayList<>(usageScan(null, tenant, svc, daysAgo(180), null));
        refused.removeIf(p -> p instanceof TenantPostureObserved);
        UUID s3 = UUID.randomUUID();
        scan(s3, tenant, daysAgo(180), 1, refused, // 90 days, had the sign-ins been read
                new MissingSignal("signIns", "403 Authentication_RequestFromNonPremiumTenantOrB2CTenant"));

        assertThat(ofKind(alertsSoFar(tenant), AlertKind.UNUSED_EXCEPTION)).isEmpty();
        JsonPath exception = reader().get("/api/v1/exceptions/" + exceptionId).then().statusCode(200).extract().jsonPath();
        assertThat(exception.getString("usage.verdict")).isEqualTo("INSUFFICIENT_HISTORY");
        assertThat(exception.getString("usage.principals[0].reason")).isEqualTo("history covers 60 of 90 days");
        assertThat(exception.getString("usage.principals[0].asOf")).isEqualTo(daysAgo(210).toString());
        String exclusionId = reader().get("/api/v1/exclusions?tenantId=" + tenant).then().statusCode(200).extract()
                .path("items[0].id");
        JsonPath exclusion = reader().get("/api/v1/exclusions/" + exclusionId).then().statusCode(200).extract().jsonPath();
        assertThat(exclusion.getString("usage.verdict")).isEqualTo("INSUFFICIENT_HISTORY");
        assertThat(exclusion.getInt("usage.historyDays")).isEqualTo(60);
        assertThat(exclusion.getString("usage.lastSignIn")).isNull();
    }

    // --- builders ---------------------------------------------------------------------------------------

    private static Instant daysAgo(int days) {
        return D.minus(days, ChronoUnit.DAYS);
    }

    /** Sends a scan: its events (rebuilt for this scan id), a posture unless one is among them, then ScanCompleted. */
    private static void scan(UUID scanId, String tenant, Instant at, int detections, List<EventPayload> events,
            MissingSignal... missing) {
        boolean hasPosture = false;
        for (EventPayload p : events) {
            hasPosture |= p instanceof TenantPostureObserved;
            send(forScan(p, scanId));
        }
        if (!hasPosture) {
            send(new TenantPostureObserved(scanId, tenant, 30, at.minus(30, ChronoUnit.DAYS), at, 0, 0, 0, 0, 100L, 0L,
                    List.of(missing), at));
        }
        send(completed(scanId, tenant, ScanStatus.COMPLETE, detections, at.minusSeconds(30)));
    }

    private static EventPayload forScan(EventPayload p, UUID scanId) {
        if (p instanceof MfaGapDetected g && !scanId.equals(g.scanId())) {
            return new MfaGapDetected(scanId, g.tenantId(), g.kind(), g.userId(), g.userPrincipalName(), g.displayName(),
                    g.userType(), g.privileged(), g.count(), g.firstSeen(), g.lastSeen(), g.apps(), g.clientApps(),
                    g.locations(), g.ipAddresses(), g.defaultMethod(), g.methodsRegistered(), g.perUserMfaState(),
                    g.detail(), g.observedAt());
        }
        if (p instanceof ExclusionUsageObserved u && !scanId.equals(u.scanId())) {
            return new ExclusionUsageObserved(scanId, u.tenantId(), u.principalType(), u.principalId(), u.windowDays(),
                    u.lastSignIn(), u.lastSingleFactorSignIn(), u.signIns(), u.singleFactorSignIns(), u.observedAt());
        }
        if (p instanceof io.mfagov.model.events.ExclusionDetected d && !scanId.equals(d.scanId())) {
            return new io.mfagov.model.events.ExclusionDetected(scanId, d.tenantId(), d.policy(), d.principal(), d.via(),
                    d.observedAt());
        }
        return p;
    }

    private static TenantPostureObserved posture(UUID scan, String tenant, Instant at) {
        return new TenantPostureObserved(scan, tenant, 30, at.minus(30, ChronoUnit.DAYS), at, 1, 0, 1, 0, 100L, 4L,
                List.of(), at);
    }

    /** A detection of the user's exclusion and its usage: {@code lastSignIn} null, none in the window. */
    private static List<EventPayload> usageScan(UUID scan, String tenant, String userId, Instant at, Instant lastSignIn) {
        UUID id = scan == null ? UUID.randomUUID() : scan;
        return List.of(user(id, tenant, POLICY, userId, at), new ExclusionUsageObserved(id, tenant, PrincipalType.USER,
                userId, 30, lastSignIn, null, lastSignIn == null ? 0 : 3, 0, at));
    }

    private static MfaGapDetected singleFactor(UUID scan, String tenant, String userId, String name, boolean privileged,
            int count, Instant at) {
        return new MfaGapDetected(scan == null ? UUID.randomUUID() : scan, tenant, GapKind.SINGLE_FACTOR_SIGNINS, userId,
                name + "@contoso.example", name, "Member", privileged, count, at.minus(3, ChronoUnit.DAYS),
                at.minusSeconds(600), List.of("Office 365 Exchange Online"), List.of("Exchange ActiveSync"), List.of("NL"),
                List.of("203.0.113.7"), null, List.of(), null, count + " single-factor sign-ins", at);
    }

    private static MfaGapDetected registration(UUID scan, String tenant, String userId, String name, GapKind kind,
            boolean privileged, Instant at) {
        return new MfaGapDetected(scan == null ? UUID.randomUUID() : scan, tenant, kind, userId, name + "@contoso.example",
                name, "Member", privileged, null, null, null, List.of(), List.of(), List.of(), List.of(),
                kind == GapKind.NOT_CAPABLE ? "email" : null,
                kind == GapKind.NOT_CAPABLE ? List.of("email") : List.of(), null, null, at);
    }

    private static String approvedException(String tenant, String userId) {
        String id = requester().body(Map.of("tenantId", tenant, "policyId", POLICY, "category", "LEGACY_APP",
                        "justification", "legacy connector", "ticketRef", "PSA-14", "expiresAt", inDays(60),
                        "principals", List.of(Map.of("id", userId, "type", "USER"))))
                .post("/api/v1/exceptions").then().statusCode(201).extract().path("id");
        approver().body("{}").post("/api/v1/exceptions/" + id + "/approve").then().statusCode(200);
        return id;
    }

    private void awaitComplete(UUID scanId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            io.mfagov.register.entity.Scan scan = em.find(io.mfagov.register.entity.Scan.class, scanId);
            return scan != null && "COMPLETE".equals(scan.status);
        }));
    }

    private static List<AlertRaised> ofKind(List<AlertRaised> alerts, AlertKind kind) {
        return alerts.stream().filter(a -> a.kind() == kind).toList();
    }

    private static AlertRaised byId(List<AlertRaised> alerts, String id) {
        return alerts.stream().filter(a -> a.alertId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not among " + alerts));
    }
}
