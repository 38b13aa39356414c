package io.mfagov.scanner.service;

import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.CredentialSet;
import io.mfagov.scanner.graph.CredentialSets;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.graph.PermissionTable;
import io.mfagov.scanner.support.Simulators;
import io.mfagov.scanner.support.TestTenants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.mfagov.scanner.support.TestTenants.F1;
import static io.mfagov.scanner.support.TestTenants.F2;
import static io.mfagov.scanner.support.TestTenants.F3;
import static io.mfagov.scanner.support.TestTenants.F4;
import static io.mfagov.scanner.support.TestTenants.FULL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access check before a scan, with real azure-identity tokens from the simulator's authority and the real Graph
 * SDK: each access problem has its own status, consent URL and permissions while the other tenants scan COMPLETE; a
 * missing required permission reads nothing; a missing optional one skips exactly those reads; a tenant's
 * credentialRef chooses its credential set; a rotated secret file takes effect on the next scan.
 */
class AccessCheckScanTest {

    private static final String MSP_CLIENT_ID = "5e1f0c2a-9b8d-4c7e-a6f5-0d4c3b2a1908";
    private static final String MSP_SECRET = "sim-secret-msp-" + UUID.randomUUID();
    /** An app registration no test tenant consented to. */
    private static final String OTHER_APP = "0b7c7a55-1111-4222-8333-444455556666";

    private static GraphSimulator sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sim = Simulators.startTrusted(Simulators.issuingTokens()
                .tenants(TestTenants.all())
                .mspApp(MSP_CLIENT_ID, MSP_SECRET));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static ScannerSettings settings(String defaultSecret) {
        return Simulators.settings(sim).withClientSecret(MSP_CLIENT_ID, defaultSecret, sim.authorityUrl());
    }

    private static CredentialSet secretSet(String name, String clientId, String secret) {
        return new CredentialSet(name, Optional.of(clientId), Optional.of(secret), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), sim.authorityUrl());
    }

    private static CredentialSet secretFileSet(String name, Path file) {
        return new CredentialSet(name, Optional.of(MSP_CLIENT_ID), Optional.empty(), Optional.of(file.toString()),
                Optional.empty(), Optional.empty(), Optional.empty(), sim.authorityUrl());
    }

    private static TenantScanner scanner(ScannerSettings settings, CredentialSet... sets) {
        return new TenantScanner(new GraphClientFactory(settings, CredentialSets.of(settings, sets)), Clock.systemUTC());
    }

    /** Graph requests the simulator saw for the tenant (the token endpoint is not Graph). */
    private static long graphRequests(String tenant) {
        return sim.counters().byEndpoint(tenant).entrySet().stream().filter(e -> !e.getKey().equals("token"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static ScanCompleted completed(TenantScan scan) {
        return ScanEvents.completed(UUID.randomUUID(), null, scan.tenantId(), scan);
    }

    @Test
    void eachAccessProblemHasItsOwnReasonConsentUrlAndPermissionsWhileTheOtherTenantsScanComplete() {
        sim.admin().setGrantedPermissions(F1, new HashSet<>(PermissionTable.toGrant()));
        sim.admin().setGrantedPermissions(F2, Set.of("Directory.Read.All"));
        TenantScanner scanner = scanner(settings(MSP_SECRET),
                secretSet("not-consented", OTHER_APP, "some-secret-" + UUID.randomUUID()),
                secretSet("wrong-secret", MSP_CLIENT_ID, "wrong-" + UUID.randomUUID()));
        long f2Before = graphRequests(F2);
        long f3Before = graphRequests(F3);
        long f4Before = graphRequests(F4);
        long f1Tokens = sim.counters().forTenant(F1, "token");

        ScanCompleted ok = completed(scanner.scan(F1, null, null));
        ScanCompleted missing = completed(scanner.scan(F2, null, null));
        ScanCompleted noConsent = completed(scanner.scan(F3, null, "not-consented"));
        ScanCompleted rejected = completed(scanner.scan(F4, null, "wrong-secret"));

        assertThat(ok.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(ok.accessStatus()).isEqualTo(AccessStatus.OK);
        assertThat(ok.missingPermissions()).isEmpty();
        assertThat(ok.missingWritePermissions()).isEmpty();
        assertThat(ok.grantedPermissions()).contains("Policy.Read.All", "Directory.Read.All");
        assertThat(sim.counters().forTenant(F1, "token") - f1Tokens)
                .as("one token request: the access check's token is the one the reads carry").isEqualTo(1);
        assertThat(ok.consentUrl()).isEqualTo(sim.authorityUrl().replaceAll("/$", "") + "/" + F1
                + "/v2.0/adminconsent?client_id=" + MSP_CLIENT_ID + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");

        assertThat(missing.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(missing.accessStatus()).isEqualTo(AccessStatus.MISSING_PERMISSIONS);
        assertThat(missing.missingPermissions()).startsWith("Policy.Read.All")
                .contains("AuditLog.Read.All").doesNotContain("Directory.Read.All");
        assertThat(missing.missingWritePermissions()).contains("Policy.ReadWrite.ConditionalAccess", "GroupMember.ReadWrite.All");
        assertThat(missing.grantedPermissions()).containsExactly("Directory.Read.All");
        assertThat(missing.consentUrl()).contains("/" + F2 + "/v2.0/adminconsent?client_id=" + MSP_CLIENT_ID);
        assertThat(missing.error()).contains("Policy.Read.All").contains("Global Administrator");
        assertThat(missing.graphRequestCount()).isZero();
        assertThat(graphRequests(F2)).as("a missing required permission reads nothing").isEqualTo(f2Before);

        assertThat(noConsent.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(noConsent.accessStatus()).isEqualTo(AccessStatus.NO_CONSENT);
        assertThat(noConsent.consentUrl()).contains("/" + F3 + "/v2.0/adminconsent?client_id=" + OTHER_APP);
        assertThat(noConsent.error()).contains("AADSTS700016").contains("Policy.Read.All");
        assertThat(graphRequests(F3)).isEqualTo(f3Before);

        assertThat(rejected.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(rejected.accessStatus()).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
        assertThat(rejected.error()).contains("AADSTS7000215").contains("'wrong-secret'");
        assertThat(rejected.consentUrl()).contains("/" + F4 + "/");
        assertThat(graphRequests(F4)).isEqualTo(f4Before);
    }

    @Test
    void aMissingOptionalPermissionSkipsExactlyItsReadsAndTheScanStaysComplete() {
        Set<String> granted = new HashSet<>(PermissionTable.toGrant());
        granted.remove("AuditLog.Read.All");
        granted.remove("PrivilegedEligibilitySchedule.Read.AzureADGroup");
        sim.admin().setGrantedPermissions(FULL, granted);
        Map<String, Long> before = sim.counters().byEndpoint(FULL);

        TenantScan scan = scanner(settings(MSP_SECRET)).scan(FULL, null, null);
        ScanCompleted completed = completed(scan);

        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.detections()).isNotEmpty();
        assertThat(completed.accessStatus()).isEqualTo(AccessStatus.MISSING_PERMISSIONS);
        assertThat(completed.missingPermissions())
                .containsExactlyInAnyOrder("AuditLog.Read.All", "PrivilegedEligibilitySchedule.Read.AzureADGroup");
        assertThat(completed.disabledReads()).containsExactlyInAnyOrder(PermissionTable.PIM_GROUPS,
                PermissionTable.REGISTRATION, PermissionTable.SIGN_INS);
        Map<String, Long> after = sim.counters().byEndpoint(FULL);
        for (String endpoint : List.of("userRegistrationDetails", "signIns", "signIns.beta", "groupEligibilityScheduleInstances")) {
            assertThat(after.getOrDefault(endpoint, 0L)).as(endpoint + " not attempted")
                    .isEqualTo(before.getOrDefault(endpoint, 0L));
        }
        assertThat(after.getOrDefault("roleEligibilityScheduleInstances", 0L))
                .isGreaterThan(before.getOrDefault("roleEligibilityScheduleInstances", 0L));
        assertThat(scan.missingSignals()).extracting(s -> s.signal()).contains("registration", "signIns");
        assertThat(scan.missingSignals()).allMatch(s -> s.reason().contains("AuditLog.Read.All"));
        assertThat(scan.notes()).anyMatch(n -> n.startsWith("PIM group eligibility not read")
                && n.contains("PrivilegedEligibilitySchedule.Read.AzureADGroup"));
    }

    @Test
    void anUnknownCredentialRefIsNoCredentialsNamingTheRef() {
        TenantScan scan = scanner(settings(MSP_SECRET)).scan(TestTenants.EMPTY, null, "nobody-configured-this");

        ScanCompleted completed = completed(scan);
        assertThat(completed.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(completed.accessStatus()).isEqualTo(AccessStatus.NO_CREDENTIALS);
        assertThat(completed.error()).contains("'nobody-configured-this'")
                .contains("mfagov.graph.credentials.\"nobody-configured-this\".client-id");
        assertThat(completed.graphRequestCount()).isZero();
    }

    @Test
    void aTenantsCredentialRefChoosesItsCredentialSet() throws IOException {
        Path secret = Files.writeString(dir.resolve("msp-secret"), MSP_SECRET + "\n");
        String wrongDefault = "wrong-default-" + UUID.randomUUID();
        TenantScanner scanner = scanner(settings(wrongDefault), secretFileSet("from-file", secret));

        TenantScan withRef = scanner.scan(TestTenants.EMPTY, null, "from-file");
        TenantScan withoutRef = scanner.scan(TestTenants.EMPTY, null, null);

        assertThat(withRef.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(withRef.access().status()).isIn(AccessStatus.OK, AccessStatus.MISSING_PERMISSIONS);
        assertThat(withoutRef.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(withoutRef.access().status()).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
        assertThat(withoutRef.error()).contains("'default'").doesNotContain(wrongDefault);
    }

    @Test
    void aRotatedSecretFileTakesEffectOnTheNextScanWithoutARestart() throws IOException {
        Path secret = Files.writeString(dir.resolve("rotating-secret"), MSP_SECRET);
        TenantScanner scanner = scanner(settings("unused-" + UUID.randomUUID()), secretFileSet("rotating", secret));
        String tenant = TestTenants.EMPTY;

        TenantScan first = scanner.scan(tenant, null, "rotating");
        // the cached credential still holds the valid secret and would go on working: only a rebuilt one can fail
        String retired = "rotated-away-" + UUID.randomUUID();
        Files.writeString(secret, retired + "\n");
        TenantScan afterBadRotation = scanner.scan(tenant, null, "rotating");
        Files.writeString(secret, MSP_SECRET + "\n");
        TenantScan afterFix = scanner.scan(tenant, null, "rotating");

        assertThat(first.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(afterBadRotation.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(afterBadRotation.access().status()).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
        assertThat(afterBadRotation.error()).contains("AADSTS7000215").doesNotContain(retired);
        assertThat(afterFix.status()).isEqualTo(ScanStatus.COMPLETE);
    }

    @Test
    void anUnknownTenantIsTenantNotFoundAndAnUnreachableAuthorityIsToldApart() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CredentialSet unreachable = new CredentialSet("unreachable", Optional.of(MSP_CLIENT_ID), Optional.of(MSP_SECRET),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "https://127.0.0.1:" + closedPort);
        TenantScanner scanner = scanner(settings(MSP_SECRET), unreachable);

        TenantScan unknown = scanner.scan(TestTenants.UNKNOWN, null, null);
        TenantScan noAuthority = scanner.scan(TestTenants.EMPTY, null, "unreachable");

        assertThat(unknown.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(unknown.access().status()).isEqualTo(AccessStatus.TENANT_NOT_FOUND);
        assertThat(unknown.error()).contains("AADSTS90002");
        assertThat(noAuthority.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(noAuthority.access().status()).isEqualTo(AccessStatus.AUTHORITY_UNREACHABLE);
        assertThat(noAuthority.error()).contains("retried by the next scan").doesNotContain(MSP_SECRET);
    }

    @Test
    void staticTokensAreUncheckedAndScanAsBefore() {
        TenantScan scan = new TenantScanner(new GraphClientFactory(Simulators.settings(sim)), Clock.systemUTC())
                .scan(TestTenants.EMPTY);

        // this simulator issues no static tokens: the point is the check, which makes no token request
        assertThat(scan.access().status()).isEqualTo(AccessStatus.UNCHECKED);
        assertThat(completed(scan).accessStatus()).isEqualTo(AccessStatus.UNCHECKED);
    }
}
