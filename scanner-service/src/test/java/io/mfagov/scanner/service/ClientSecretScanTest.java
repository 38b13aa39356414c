package io.mfagov.scanner.service;

import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.support.Simulators;
import io.mfagov.scanner.support.TestTenants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.UUID;

import static io.mfagov.scanner.support.TestTenants.F1;
import static io.mfagov.scanner.support.TestTenants.FULL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production credential path: one multi-tenant app (client id + secret) consented in every tenant,
 * tokens from the real azure-identity client over HTTPS from the simulator's token authority, the real
 * Graph SDK with them. No static token anywhere.
 */
class ClientSecretScanTest {

    private static final String MSP_CLIENT_ID = "5e1f0c2a-9b8d-4c7e-a6f5-0d4c3b2a1908";
    private static final String MSP_SECRET = "sim-secret-msp-" + UUID.randomUUID();

    private static GraphSimulator sim;

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

    private static TenantScanner scannerWithSecret(String secret) {
        return new TenantScanner(new GraphClientFactory(Simulators.settings(sim)
                .withClientSecret(MSP_CLIENT_ID, secret, sim.authorityUrl())), Clock.systemUTC());
    }

    @Test
    void oneAppSecretScansEveryTenantThroughAzureIdentityTokens() {
        TenantScanner scanner = scannerWithSecret(MSP_SECRET);

        TenantScan full = scanner.scan(FULL);
        TenantScan other = scanner.scan(F1);

        assertThat(full.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(full.detections()).isNotEmpty();
        assertThat(other.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(sim.counters().forTenant(FULL, "token")).isGreaterThanOrEqualTo(1);
        assertThat(sim.counters().forTenant(F1, "token")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aWrongSecretFailsTheTenantWithEntrasReasonAndNeverTheSecret() {
        String wrong = "wrong-" + UUID.randomUUID();

        TenantScan scan = scannerWithSecret(wrong).scan(FULL);

        assertThat(scan.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(scan.error()).contains("AADSTS7000215").doesNotContain(wrong).doesNotContain(MSP_SECRET);
        assertThat(scan.detections()).isEmpty();
    }
}
