package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.ExclusionUsageObserved;
import io.mfagov.model.events.GapKind;
import io.mfagov.model.events.MfaGapDetected;
import io.mfagov.model.events.MissingSignal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.TenantPostureObserved;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scan's gap signals in (TenantPostureObserved, MfaGapDetected, ExclusionUsageObserved on mfagov.scan-results):
 * stored per scan through the idempotent intake, a redelivered event stored once, each scan's rows kept (history).
 * Real broker, real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class GapSignalIntakeTest {

    private static final Instant T0 = Instant.now().minus(2, ChronoUnit.HOURS);

    @Test
    void aScansPostureGapsAndUsageAreStoredPerScanOnceEachAndEarlierScansAreKept() throws Exception {
        String tenant = newTenant();
        String bob = UUID.randomUUID().toString();
        String svc = UUID.randomUUID().toString();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        for (UUID scan : List.of(first, second)) {
            send(posture(scan, tenant));
            EventEnvelope<MfaGapDetected> gap = send(gap(scan, tenant, bob, GapKind.SINGLE_FACTOR_SIGNINS, 4));
            send(gap); // a redelivery: applied once
            send(gap(scan, tenant, bob, GapKind.NOT_REGISTERED, null));
            send(new ExclusionUsageObserved(scan, tenant, PrincipalType.USER, svc, 30, T0.minusSeconds(60),
                    T0.minusSeconds(120), 12, 5, T0));
            send(completed(scan, tenant, ScanStatus.COMPLETE, 0, T0.minusSeconds(30)));
        }

        try (Connection c = otherConnection()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> count(c, "select count(*) from scan where tenant_id = ?"
                    + " and status = 'COMPLETE'", tenant) == 2);
            assertThat(rows(c, "select scan_id || ' ' || kind || ' ' || coalesce(count::text, '-') || ' ' || apps"
                    + " from mfa_gap where tenant_id = ? and user_id = '" + bob + "' order by scan_id, kind", tenant))
                    .containsExactlyInAnyOrder(
                            first + " NOT_REGISTERED - []", first + " SINGLE_FACTOR_SIGNINS 4 [\"Office 365 Exchange Online\"]",
                            second + " NOT_REGISTERED - []", second + " SINGLE_FACTOR_SIGNINS 4 [\"Office 365 Exchange Online\"]");
            assertThat(rows(c, "select principal_type || ':' || principal_id || ' ' || window_days || ' ' || sign_ins || ' '"
                    + " || single_factor_sign_ins || ' ' || (last_sign_in is not null) from exclusion_usage where tenant_id = ?"
                    + " and scan_id = '" + first + "'", tenant))
                    .containsExactly("USER:" + svc + " 30 12 5 true");
            assertThat(rows(c, "select sign_in_window_days || ' ' || not_registered || ' ' || missing_signals from posture"
                    + " where tenant_id = ? and scan_id = '" + second + "'", tenant))
                    .containsExactly("30 1 [{\"signal\":\"perUserMfa\",\"reason\":\"403 Forbidden: consent lacks"
                            + " Policy.Read.All\"}]");
            c.rollback();
        }
    }

    @Test
    void aTenantsGapsAreThoseOfItsLatestScanPrivilegedFirstAndFilteredByKind() {
        String tenant = newTenant();
        String bob = UUID.randomUUID().toString();
        String admin = UUID.randomUUID().toString();
        UUID older = UUID.randomUUID();
        UUID latest = UUID.randomUUID();
        send(gap(older, tenant, bob, GapKind.NOT_CAPABLE, null));
        send(new TenantPostureObserved(latest, tenant, 30, null, null, 1, 0, 1, 0, 10L, 4L, List.of(),
                T0.plusSeconds(600)));
        send(gap(latest, tenant, bob, GapKind.SINGLE_FACTOR_SIGNINS, 4));
        MfaGapDetected adm = gap(latest, tenant, admin, GapKind.NOT_REGISTERED, null);
        send(new MfaGapDetected(latest, tenant, GapKind.NOT_REGISTERED, admin, "adm@contoso.example", "Admin", "Member",
                true, null, null, null, List.of(), List.of(), List.of(), List.of(), null, List.of(), "disabled",
                "no method registered", adm.observedAt()));

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            io.restassured.response.Response r = reader().get("/api/v1/tenants/" + tenant + "/gaps");
            return r.statusCode() == 200 && r.jsonPath().getList("items").size() == 2;
        });
        io.restassured.path.json.JsonPath all = reader().get("/api/v1/tenants/" + tenant + "/gaps").then().statusCode(200)
                .extract().jsonPath();
        assertThat(all.getString("scanId")).isEqualTo(latest.toString());
        assertThat(all.getList("items.userId")).containsExactly(admin, bob);
        assertThat(all.getList("items.kind")).containsExactly("NOT_REGISTERED", "SINGLE_FACTOR_SIGNINS");
        assertThat(all.getBoolean("items[0].privileged")).isTrue();
        assertThat(all.getString("items[0].detail")).isEqualTo("no method registered");
        assertThat(all.getList("items[1].clientApps")).containsExactly("Exchange ActiveSync");
        assertThat(all.getInt("items[1].count")).isEqualTo(4);
        assertThat(all.getString("items[1].lastSeen")).isNotNull();

        assertThat(reader().get("/api/v1/tenants/" + tenant + "/gaps?kind=SINGLE_FACTOR_SIGNINS").then().statusCode(200)
                .extract().jsonPath().getList("items.userId")).containsExactly(bob);
        reader().get("/api/v1/tenants/" + tenant + "/gaps?kind=SOMETHING").then().statusCode(400);
        reader().get("/api/v1/tenants/" + newTenant() + "/gaps").then().statusCode(404);
    }

    private static TenantPostureObserved posture(UUID scan, String tenant) {
        return new TenantPostureObserved(scan, tenant, 30, T0.minus(30, ChronoUnit.DAYS), T0, 1, 0, 1, 0, 200L, 4L,
                List.of(new MissingSignal("perUserMfa", "403 Forbidden: consent lacks Policy.Read.All")), T0);
    }

    private static MfaGapDetected gap(UUID scan, String tenant, String userId, GapKind kind, Integer count) {
        boolean signIns = kind == GapKind.SINGLE_FACTOR_SIGNINS;
        return new MfaGapDetected(scan, tenant, kind, userId, "bob@contoso.example", "Bob", "Member", false, count,
                signIns ? T0.minus(3, ChronoUnit.DAYS) : null, signIns ? T0.minusSeconds(600) : null,
                signIns ? List.of("Office 365 Exchange Online") : List.of(), signIns ? List.of("Exchange ActiveSync") : List.of(),
                List.of(), List.of(), null, List.of(), null, null, T0);
    }

    private static long count(Connection c, String sql, String tenant) throws Exception {
        c.rollback(); // a fresh snapshot
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> rows(Connection c, String sql, String tenant) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
