package io.mfagov.scanner.service;

import io.mfagov.graphsim.FaultSpec;
import io.mfagov.graphsim.Fixtures;
import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.model.TenantFixture;
import io.mfagov.model.events.GapKind;
import io.mfagov.model.events.MissingSignal;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.support.Simulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** MFA gap signals (issue 14) read by a scan through the real Graph SDK against the simulator. */
class GapSignalsScanTest {

    static final String TENANT = "33333333-3333-4333-8333-000000000001";
    static final String REFUSED = "33333333-3333-4333-8333-0000000000f1";
    static final String NON_PREMIUM = "33333333-3333-4333-8333-0000000000f2";
    static final String READY = "33333333-aaaa-4000-8000-000000000001";
    static final String ADMIN = "33333333-aaaa-4000-8000-000000000002";
    static final String SMS_ONLY = "33333333-aaaa-4000-8000-000000000003";
    static final String GUEST = "33333333-aaaa-4000-8000-000000000004";
    static final String DISABLED = "33333333-aaaa-4000-8000-000000000005";

    private static GraphSimulator sim;
    private static TenantScan scan;

    static List<TenantFixture> fixtures() {
        Path file = Path.of("src", "test", "resources", "tenants", "gap-signals.json");
        List<TenantFixture> out = new ArrayList<>(Fixtures.readFile(file));
        TenantFixture refused = Fixtures.readFile(file).get(0);
        refused.tenantId = REFUSED;
        refused.displayName = "Gap Signals Refused";
        refused.domain = "gaps-refused.onmicrosoft.com";
        out.add(refused);
        TenantFixture free = Fixtures.readFile(file).get(0);
        free.tenantId = NON_PREMIUM;
        free.displayName = "Gap Signals Without P1";
        free.domain = "gaps-free.onmicrosoft.com";
        free.premiumLicensed = false;
        out.add(free);
        return out;
    }

    @BeforeAll
    static void scanTheTenant() {
        sim = GraphSimulator.start(SimulatorConfig.builder().tenants(fixtures()).limits(Simulators.fastLimits())
                .dataDir(Path.of("target", "graph-simulator")).build());
        scan = scanner().scan(TENANT);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clean() {
        sim.admin().clearFaults();
    }

    private static TenantScanner scanner() {
        return new TenantScanner(new GraphClientFactory(Simulators.settings(sim)), Clock.systemUTC());
    }

    private static List<Gap> gapsOf(String user) {
        return scan.gaps().stream().filter(g -> g.userId().equals(user)).toList();
    }

    @Test
    void anEnabledUserWithoutAnyMfaMethodIsNotRegisteredAndNotAlsoNotCapable() {
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(gapsOf(ADMIN)).singleElement().satisfies(g -> {
            assertThat(g.kind()).isEqualTo(GapKind.NOT_REGISTERED);
            assertThat(g.userPrincipalName()).isEqualTo("admin@gaps.example");
            assertThat(g.displayName()).isEqualTo("Unregistered Admin");
            assertThat(g.methodsRegistered()).isEmpty();
        });
    }

    @Test
    void aNotRegisteredGlobalAdministratorIsPrivilegedAsTheCoverageComputesIt() {
        assertThat(gapsOf(ADMIN).get(0).privileged()).isTrue();
        assertThat(gapsOf(SMS_ONLY).get(0).privileged()).isFalse();
    }

    @Test
    void aRegisteredUserWhoseMethodsThePolicyDoesNotAllowIsNotCapableWithDefaultMethodAndMethods() {
        assertThat(gapsOf(SMS_ONLY)).singleElement().satisfies(g -> {
            assertThat(g.kind()).isEqualTo(GapKind.NOT_CAPABLE);
            assertThat(g.defaultMethod()).isEqualTo("sms");
            assertThat(g.methodsRegistered()).containsExactly("mobilePhone");
        });
    }

    @Test
    void enabledGuestsAreReportedAndDisabledAccountsAndCapableUsersAreNot() {
        assertThat(gapsOf(GUEST)).singleElement().satisfies(g -> {
            assertThat(g.kind()).isEqualTo(GapKind.NOT_REGISTERED);
            assertThat(g.userType()).isEqualTo("Guest");
            assertThat(g.methodsRegistered()).containsExactly("email");
        });
        assertThat(gapsOf(DISABLED)).isEmpty();
        assertThat(gapsOf(READY)).isEmpty();
        assertThat(scan.posture().notRegistered()).isEqualTo(2);
        assertThat(scan.posture().notCapable()).isEqualTo(1);
        assertThat(scan.missingSignals()).isEmpty();
    }

    @Test
    void registrationIsOnePagedListingInsideTheFirstBatchWithSelectAndTheLargestPage() {
        // policies + one $batch (security defaults, role assignments, PIM eligibility, users, registration), then the
        // beta $batch of the sign-in signals: interactive and non-interactive sign-ins, and per-user MFA of the 4 enabled
        // users (all uncovered: the tenant has no policy)
        assertThat(sim.counters().forTenant(TENANT, "userRegistrationDetails")).isEqualTo(1);
        assertThat(scan.graphRequestCount()).isEqualTo(6 + 2 + 4);
    }

    @Test
    void aRefusedRegistrationReadLeavesTheScanCompleteAndNamesTheMissingSignal() {
        sim.admin().setTenantFaults(REFUSED, FaultSpec.none().withConsentRevoked(403).onlyFor(Set.of("userRegistrationDetails")));
        TenantScan refused = scanner().scan(REFUSED);
        assertThat(refused.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(refused.failedReads()).isEmpty();
        assertThat(refused.gaps()).as("nothing inferred from a refused read").isEmpty();
        assertThat(refused.posture().notRegistered()).isNull();
        assertThat(refused.missingSignals()).singleElement().satisfies(m -> {
            assertThat(m.signal()).isEqualTo("registration");
            assertThat(m.reason()).contains("403");
        });
    }

    @Test
    void aTenantWithoutEntraIdP1StaysCompleteAndSaysRegistrationIsUnlicensed() {
        TenantScan free = scanner().scan(NON_PREMIUM);
        assertThat(free.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(free.error()).isNull();
        assertThat(free.gaps()).isEmpty();
        assertThat(free.coverage()).as("the rest of the scan is read as before").isNotNull();
        assertThat(free.missingSignals()).extracting(MissingSignal::signal).containsExactly("registration", "signIns");
        assertThat(free.missingSignals()).allSatisfy(m ->
                assertThat(m.reason()).contains("403").contains("Authentication_RequestFromNonPremiumTenantOrB2CTenant"));
    }
}
