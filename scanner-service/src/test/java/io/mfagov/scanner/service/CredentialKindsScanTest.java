package io.mfagov.scanner.service;

import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.testing.SelfSignedCertificate;
import io.mfagov.graphsim.testing.ServiceAccountTokenIssuer;
import io.mfagov.model.events.AccessStatus;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static io.mfagov.scanner.support.TestTenants.EMPTY;
import static io.mfagov.scanner.support.TestTenants.F1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials without a client secret, through the real azure-identity against the simulator's authority: a
 * certificate (PEM with key, and PFX with a password) and workload identity federation (a Kubernetes-like projected
 * service-account token file exchanged as a client assertion). Each scans a tenant; a replaced certificate file takes
 * effect on the next scan; an assertion Entra does not trust is CREDENTIALS_REJECTED with its code.
 */
class CredentialKindsScanTest {

    /** The MSP's app for these tests: certificate and federated credentials only, no secret. */
    private static final String APP = "7d1e4c2b-3a59-4f68-9b7c-0e1d2c3b4a59";
    private static final ServiceAccountTokenIssuer CLUSTER = ServiceAccountTokenIssuer.create("https://oidc.cluster.example/mfagov/");
    private static final String SUBJECT = ServiceAccountTokenIssuer.subject("mfagov", "scanner");
    private static final SelfSignedCertificate CERT = SelfSignedCertificate.create("CN=mfagov-scanner");

    private static GraphSimulator sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sim = Simulators.startTrusted(Simulators.issuingTokens()
                .tenants(TestTenants.all())
                .app(AppRegistration.builder(APP).displayName("mfagov (certificate and federation)").homeTenant(F1)
                        .certificate(CERT.certificate()).federatedCredential(CLUSTER.issuer(), SUBJECT).build())
                .trustedIssuer(CLUSTER.issuer(), CLUSTER.publicKey())
                .consent(EMPTY, APP, PermissionTable.toGrant())
                .consent(F1, APP, PermissionTable.toGrant()));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static TenantScanner scanner(CredentialSet set) {
        ScannerSettings settings = Simulators.settings(sim).withClientSecret(APP, "no-secret-for-this-app", sim.authorityUrl());
        return new TenantScanner(new GraphClientFactory(settings, CredentialSets.of(settings, set)), Clock.systemUTC());
    }

    private static CredentialSet certificate(String name, Path file, String password) {
        return new CredentialSet(name, Optional.of(APP), Optional.empty(), Optional.empty(), Optional.of(file.toString()),
                Optional.ofNullable(password), Optional.empty(), sim.authorityUrl());
    }

    private static CredentialSet federated(String name, Path tokenFile) {
        return new CredentialSet(name, Optional.of(APP), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(tokenFile.toString()), sim.authorityUrl());
    }

    @Test
    void aCertificateCredentialScansATenant() {
        Path pem = CERT.writePem(dir.resolve("scanner.pem"));

        TenantScan scan = scanner(certificate("cert", pem, null)).scan(EMPTY, null, "cert");

        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.access().status()).isEqualTo(AccessStatus.OK);
        assertThat(scan.access().granted()).containsAll(PermissionTable.toGrant());
    }

    @Test
    void aPfxCertificateWithItsPasswordScansATenant() {
        Path pfx = CERT.writePfx(dir.resolve("scanner.pfx"), "pfx-password-4711");

        TenantScan scan = scanner(certificate("pfx", pfx, "pfx-password-4711")).scan(F1, null, "pfx");

        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
    }

    @Test
    void aReplacedCertificateFileTakesEffectOnTheNextScanWithoutARestart() {
        Path pem = CERT.writePem(dir.resolve("rotating.pem"));
        TenantScanner scanner = scanner(certificate("rotating", pem, null));
        TenantScan before = scanner.scan(EMPTY, null, "rotating");

        // an unregistered certificate replaces the file: the next scan uses it (the cached credential would still work)
        SelfSignedCertificate unregistered = SelfSignedCertificate.create("CN=not-registered");
        unregistered.writePem(pem);
        TenantScan withUnregistered = scanner.scan(EMPTY, null, "rotating");

        // the new certificate is uploaded to the app, the old one removed: rotation done, no restart
        SelfSignedCertificate next = SelfSignedCertificate.create("CN=mfagov-scanner-2027");
        sim.admin().addCertificate(APP, next.certificate());
        next.writePem(pem);
        sim.admin().removeCertificate(APP, CERT.certificate());
        TenantScan afterRotation;
        try {
            afterRotation = scanner.scan(EMPTY, null, "rotating");
        } finally {
            sim.admin().addCertificate(APP, CERT.certificate());
        }

        assertThat(before.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(withUnregistered.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(withUnregistered.access().status()).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
        assertThat(withUnregistered.error()).contains("AADSTS700027").contains("CERTIFICATE");
        assertThat(afterRotation.status()).isEqualTo(ScanStatus.COMPLETE);
    }

    @Test
    void aFederatedTokenFileScansATenantWithoutAnySecret() throws Exception {
        Path token = CLUSTER.writeToken(dir.resolve("azure-identity-token"), SUBJECT);

        TenantScan scan = scanner(federated("workload", token)).scan(EMPTY, null, "workload");

        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.access().status()).isEqualTo(AccessStatus.OK);
        assertThat(Files.readString(token)).startsWith("eyJ");
    }

    @Test
    void aFederatedTokenOfAnUntrustedSubjectIsRejectedAndTheRefreshedFileIsReadOnTheNextScan() {
        Path token = CLUSTER.writeToken(dir.resolve("projected-token"),
                ServiceAccountTokenIssuer.subject("other-namespace", "scanner"));
        TenantScanner scanner = scanner(federated("workload", token));

        TenantScan wrongSubject = scanner.scan(F1, null, "workload");
        CLUSTER.writeToken(token, SUBJECT); // the kubelet refreshes the projected token in place
        TenantScan refreshed = scanner.scan(F1, null, "workload");

        assertThat(wrongSubject.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(wrongSubject.access().status()).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
        assertThat(wrongSubject.error()).contains("AADSTS700213").doesNotContain("eyJ");
        assertThat(refreshed.status()).isEqualTo(ScanStatus.COMPLETE);
    }
}
