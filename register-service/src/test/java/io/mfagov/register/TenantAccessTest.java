package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertLink;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.Severity;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tenant's access (issue 16) from the scans' access check, over real Kafka and PostgreSQL: no consent, a missing
 * permission and a rejected credential each shown with their own reason, consent URL, permissions to grant and action
 * in the API and the CSV, one ACCESS_PROBLEM per episode (not a SCAN_FAILED as well), and the enforcement status from
 * the write permissions the token carries.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class TenantAccessTest {

    static final String CLIENT_ID = "9d5c3a40-1111-4222-8333-444455556666";

    static String consentUrl(String tenant) {
        return "https://login.microsoftonline.com/" + tenant + "/v2.0/adminconsent?client_id=" + CLIENT_ID
                + "&scope=https://graph.microsoft.com/.default";
    }

    /** A scan's end with its access check. */
    static ScanCompleted checked(String tenant, ScanStatus status, AccessStatus access, String error,
            List<String> missing, List<String> disabledReads, List<String> missingWrites, List<String> granted) {
        Instant start = Instant.now().minusSeconds(3);
        return new ScanCompleted(UUID.randomUUID(), null, tenant, status, start, Instant.now(), 0,
                status == ScanStatus.FAILED ? 0 : 12, error, List.of(), 0, false, List.of(), access, consentUrl(tenant),
                missing, disabledReads, missingWrites, granted);
    }

    static ScanCompleted noConsent(String tenant) {
        return checked(tenant, ScanStatus.FAILED, AccessStatus.NO_CONSENT,
                "AADSTS700016: Application with identifier '" + CLIENT_ID + "' was not found in the directory",
                List.of(), List.of(), List.of(), List.of());
    }

    static ScanCompleted ok(String tenant) {
        return checked(tenant, ScanStatus.COMPLETE, AccessStatus.OK, null, List.of(), List.of(), List.of(),
                List.of("Policy.Read.All", "Directory.Read.All", "Policy.ReadWrite.ConditionalAccess"));
    }

    static JsonPath tenantWhen(String tenant, java.util.function.Predicate<JsonPath> until) {
        await().atMost(Duration.ofSeconds(30)).until(() -> until.test(reader().get("/api/v1/tenants/" + tenant).jsonPath()));
        return reader().get("/api/v1/tenants/" + tenant).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aTenantWithoutConsentShowsWhyWhoCanGrantAndTheConsentUrlAndIsAlertedOnceNotAsAFailedScan() {
        String tenant = newTenant();
        createTenant(tenant);
        send(noConsent(tenant));

        JsonPath t = tenantWhen(tenant, j -> "NO_CONSENT".equals(j.getString("access.status")));
        assertThat(t.getString("access.consentUrl")).isEqualTo(consentUrl(tenant));
        assertThat(t.getString("access.reason")).contains("admin consent").contains("AADSTS700016");
        assertThat(t.getString("access.detail")).contains("AADSTS700016");
        assertThat(t.getString("access.action")).contains(consentUrl(tenant))
                .contains("Privileged Role Administrator or Global Administrator");
        assertThat(t.getString("access.checkedAt")).isNotNull();
        assertThat(t.getString("lastScanStatus")).isEqualTo("FAILED");

        send(noConsent(tenant)); // the same problem again: the same episode
        List<AlertRaised> alerts = alertsSoFar(tenant);
        assertThat(alerts).extracting(AlertRaised::kind).containsExactly(AlertKind.ACCESS_PROBLEM);
        AlertRaised alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.subject()).contains("cannot be scanned").contains("no admin consent");
        assertThat(alert.links()).first().isEqualTo(new AlertLink("Grant admin consent", consentUrl(tenant)));
        assertThat(alert.facts()).containsEntry("Access", "NO_CONSENT")
                .containsEntry("Who can grant", "a Privileged Role Administrator or Global Administrator of the tenant")
                .containsEntry("Admin-consent URL", consentUrl(tenant))
                .containsKey(AlertRaised.SUGGESTED_ACTION);
    }

    @Test
    void consentGrantedThenRevokedAgainIsANewEpisodeWithANewAlert() {
        String tenant = newTenant();
        createTenant(tenant);
        ScanCompleted first = noConsent(tenant);
        send(first);
        tenantWhen(tenant, j -> "NO_CONSENT".equals(j.getString("access.status")));
        send(ok(tenant));
        tenantWhen(tenant, j -> "OK".equals(j.getString("access.status")));
        ScanCompleted again = noConsent(tenant);
        send(again);
        tenantWhen(tenant, j -> "NO_CONSENT".equals(j.getString("access.status")));

        assertThat(alertsSoFar(tenant)).extracting(AlertRaised::alertId).containsExactly(
                "ACCESS_PROBLEM:" + tenant + ":NO_CONSENT:" + first.scanId(),
                "ACCESS_PROBLEM:" + tenant + ":NO_CONSENT:" + again.scanId());
    }

    @Test
    void aMissingPermissionAndARejectedCredentialEachHaveTheirOwnReasonInTheApiAndTheCsv() {
        String missing = newTenant();
        String rejected = newTenant();
        String fine = newTenant();
        createTenant(missing);
        createTenant(rejected);
        createTenant(fine);
        send(checked(missing, ScanStatus.FAILED, AccessStatus.MISSING_PERMISSIONS,
                "the app lacks Policy.Read.All, which the scan needs", List.of("Policy.Read.All"),
                List.of("conditionalAccessPolicies", "authenticationMethodsPolicy"), List.of(), List.of("Directory.Read.All")));
        send(checked(rejected, ScanStatus.FAILED, AccessStatus.CREDENTIALS_REJECTED,
                "AADSTS7000222: The provided client secret keys for app '" + CLIENT_ID + "' are expired", List.of(),
                List.of(), List.of(), List.of()));
        send(ok(fine));

        JsonPath m = tenantWhen(missing, j -> "MISSING_PERMISSIONS".equals(j.getString("access.status")));
        assertThat(m.getList("access.missingPermissions")).containsExactly("Policy.Read.All");
        assertThat(m.getList("access.disabledReads")).containsExactly("conditionalAccessPolicies", "authenticationMethodsPolicy");
        assertThat(m.getList("access.grantedPermissions")).containsExactly("Directory.Read.All");
        assertThat(m.getString("access.action")).startsWith("Grant Policy.Read.All").contains(consentUrl(missing));
        JsonPath r = tenantWhen(rejected, j -> "CREDENTIALS_REJECTED".equals(j.getString("access.status")));
        assertThat(r.getString("access.detail")).contains("AADSTS7000222");
        assertThat(r.getString("access.action")).contains("credential set");
        assertThat(tenantWhen(fine, j -> "OK".equals(j.getString("access.status"))).getString("access.action")).isNull();

        assertThat(reader().get("/api/v1/tenants?accessStatus=MISSING_PERMISSIONS").jsonPath().getList("tenantId"))
                .contains(missing).doesNotContain(rejected, fine);

        String csv = new String(reader().get("/api/v1/reports/tenants.csv?accessStatus=missing_permissions")
                .then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\uFEFFTenantId,TenantName,Enabled,Discovered,CredentialRef,LastScanStatus");
        String row = csv.lines().filter(l -> l.startsWith(missing)).findFirst().orElseThrow();
        assertThat(row).contains("MISSING_PERMISSIONS").contains(consentUrl(missing)).contains("Policy.Read.All")
                .contains("conditionalAccessPolicies; authenticationMethodsPolicy");
        String all = new String(reader().get("/api/v1/reports/tenants.csv").then().statusCode(200).extract().asByteArray(),
                StandardCharsets.UTF_8);
        assertThat(all.lines().filter(l -> l.startsWith(rejected)).findFirst().orElseThrow())
                .contains("CREDENTIALS_REJECTED").contains("AADSTS7000222");

        assertThat(alertsSoFar(missing)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.ACCESS_PROBLEM);
            assertThat(a.facts()).containsEntry("Permissions to grant", "Policy.Read.All")
                    .containsEntry("Reads skipped", "conditionalAccessPolicies, authenticationMethodsPolicy");
            assertThat(a.links()).first().extracting(AlertLink::url).isEqualTo(consentUrl(missing));
        });
        assertThat(alertsSoFar(rejected)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.ACCESS_PROBLEM);
            assertThat(a.subject()).contains("rejected");
            assertThat(a.links()).extracting(AlertLink::title).doesNotContain("Grant admin consent");
        });
        assertThat(alertsSoFar(fine)).isEmpty();
    }

    @Test
    void theWritePermissionsTheTokenCarriesDecideTheEnforcementStatus() {
        String lacking = newTenant();
        admin().body(Map.of("tenantId", lacking, "displayName", "Enforced", "enforcementEnabled", true))
                .post("/api/v1/tenants").then().statusCode(201);
        String permitted = newTenant();
        createTenant(permitted);
        send(checked(lacking, ScanStatus.COMPLETE, AccessStatus.MISSING_PERMISSIONS, null, List.of(), List.of(),
                List.of("Policy.ReadWrite.ConditionalAccess"), List.of("Policy.Read.All", "Directory.Read.All")));
        send(ok(permitted));

        JsonPath l = tenantWhen(lacking, j -> "NOT_PERMITTED".equals(j.getString("enforcementStatus")));
        assertThat(l.getList("enforcementMissingPermissions")).containsExactly("Policy.ReadWrite.ConditionalAccess");
        assertThat(l.getList("access.missingPermissions")).containsExactly("Policy.ReadWrite.ConditionalAccess");
        assertThat(tenantWhen(permitted, j -> "PERMITTED".equals(j.getString("enforcementStatus")))
                .getString("access.status")).isEqualTo("OK");
        // Enforcement on and its write permission missing: a problem worth an alert (MEDIUM: the scan itself completed).
        assertThat(alertsSoFar(lacking)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.ACCESS_PROBLEM);
            assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
        });
    }

    @Test
    void aFailureForAnotherReasonAfterAnAccessProblemIsStillReportedAsAFailedScan() {
        String tenant = newTenant();
        createTenant(tenant);
        send(noConsent(tenant));
        tenantWhen(tenant, j -> "NO_CONSENT".equals(j.getString("access.status")));
        ScanCompleted unreachable = checked(tenant, ScanStatus.FAILED, AccessStatus.AUTHORITY_UNREACHABLE,
                "login.microsoftonline.com: connect timed out", List.of(), List.of(), List.of(), List.of());
        send(unreachable);
        tenantWhen(tenant, j -> "AUTHORITY_UNREACHABLE".equals(j.getString("access.status")));
        List<AlertRaised> alerts = alerts(tenant, a -> a.stream().anyMatch(x -> x.kind() == AlertKind.SCAN_FAILED));
        assertThat(alerts).extracting(AlertRaised::kind).containsExactly(AlertKind.ACCESS_PROBLEM, AlertKind.SCAN_FAILED);
        assertThat(alerts.get(1).alertId()).isEqualTo("SCAN_FAILED:" + tenant + ":" + unreachable.scanId());
    }
}
