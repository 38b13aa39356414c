package io.mfagov.scanner.service;

import io.mfagov.graphsim.FaultSpec;
import io.mfagov.graphsim.Fixtures;
import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.LimitsConfig;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.model.TenantFixture;
import io.mfagov.model.events.GapKind;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.UncoveredUser;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.support.Simulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Sign-in evidence and per-user MFA (issue 14) read by a scan through the real Graph SDK against the simulator: the
 * fixture's sign-ins are interactive and non-interactive, single- and multi-factor, failed, and beyond Graph's 30-day
 * retention; one excluded user has per-user MFA enforced.
 */
class SignInSignalsScanTest {

    static final String TENANT = "44444444-4444-4444-8444-000000000001";
    static final String UNLICENSED = "44444444-4444-4444-8444-0000000000f1";
    static final String REFUSED = "44444444-4444-4444-8444-0000000000f2";
    static final String PACED = "44444444-4444-4444-8444-0000000000f3";
    static final String CAPPED = "44444444-4444-4444-8444-0000000000f4";
    static final String BREAK_GLASS = "44444444-aaaa-4000-8000-000000000001";
    static final String CONNECTOR = "44444444-aaaa-4000-8000-000000000002";
    static final String PER_USER = "44444444-aaaa-4000-8000-000000000003";
    static final String FIELD_WORKER = "44444444-aaaa-4000-8000-000000000004";
    static final String OLD_EXCEPTION = "44444444-aaaa-4000-8000-000000000005";
    static final String LEGACY_CRM_APP = "44444444-cccc-4000-8000-000000000001";

    private static GraphSimulator sim;
    private static TenantScan scan;
    /** The simulator's counters right after the one scan of {@link #scanTheTenant} (other tests scan again). */
    private static java.util.Map<String, Long> counted;

    static List<TenantFixture> fixtures() {
        Path file = Path.of("src", "test", "resources", "tenants", "sign-in-signals.json");
        List<TenantFixture> out = new ArrayList<>(Fixtures.readFile(file));
        TenantFixture free = Fixtures.readFile(file).get(0);
        free.tenantId = UNLICENSED;
        free.domain = "signins-free.onmicrosoft.com";
        free.premiumLicensed = false;
        out.add(free);
        TenantFixture refused = Fixtures.readFile(file).get(0);
        refused.tenantId = REFUSED;
        refused.domain = "signins-refused.onmicrosoft.com";
        out.add(refused);
        TenantFixture paced = Fixtures.readFile(file).get(0);
        paced.tenantId = PACED;
        paced.domain = "signins-paced.onmicrosoft.com";
        out.add(paced);
        TenantFixture capped = Fixtures.readFile(file).get(0);
        capped.tenantId = CAPPED;
        capped.domain = "signins-capped.onmicrosoft.com";
        out.add(capped);
        return out;
    }

    @BeforeAll
    static void scanTheTenant() {
        sim = GraphSimulator.start(SimulatorConfig.builder().tenants(fixtures()).limits(Simulators.fastLimits())
                .dataDir(Path.of("target", "graph-simulator")).build());
        sim.counters().reset(TENANT);
        scan = scanner().scan(TENANT);
        counted = sim.counters().byEndpoint(TENANT);
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
        return new TenantScanner(new GraphClientFactory(Simulators.settings(sim)), java.time.Clock.systemUTC());
    }

    private static List<Gap> gaps(TenantScan s, GapKind kind) {
        return s.gaps().stream().filter(g -> g.kind() == kind).toList();
    }

    private static PrincipalUsage usage(TenantScan s, PrincipalType type, String id) {
        return s.usage().stream().filter(u -> u.type() == type && u.principalId().equalsIgnoreCase(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no usage for " + type + " " + id + " in " + s.usage()));
    }

    @Test
    void successfulSingleFactorSignInsAreAggregatedPerUserAcrossInteractiveAndNonInteractive() {
        assertThat(scan.status()).as(scan.error()).isEqualTo(ScanStatus.COMPLETE);
        List<Gap> single = gaps(scan, GapKind.SINGLE_FACTOR_SIGNINS);
        assertThat(single).extracting(Gap::userId).containsExactly(CONNECTOR, FIELD_WORKER);
        Gap connector = single.get(0);
        assertThat(connector.count()).as("3 non-interactive in the window; the failed one and the one 40 days ago never count")
                .isEqualTo(3);
        assertThat(connector.clientApps()).containsExactlyInAnyOrder("Exchange ActiveSync", "Other clients");
        assertThat(connector.apps()).containsExactly("Office 365 Exchange Online");
        assertThat(connector.ipAddresses()).containsExactlyInAnyOrder("203.0.113.5", "203.0.113.6");
        assertThat(connector.lastSeen()).isCloseTo(Instant.now().minus(Duration.ofHours(1)), within(Duration.ofMinutes(5)));
        assertThat(connector.firstSeen()).isCloseTo(Instant.now().minus(Duration.ofDays(6)), within(Duration.ofMinutes(5)));
        assertThat(connector.userPrincipalName()).isEqualTo("svc-scanner@signins.example");
        assertThat(connector.detail()).contains("Exchange ActiveSync → Office 365 Exchange Online ×2");
        assertThat(single.get(1).count()).isEqualTo(1);
        assertThat(single.get(1).apps()).containsExactly("Legacy CRM");
    }

    @Test
    void everyExcludedPrincipalGetsItsEvidenceOfUseIncludingNoneAtAll() {
        PrincipalUsage breakGlass = usage(scan, PrincipalType.USER, BREAK_GLASS);
        assertThat(breakGlass.signIns()).isEqualTo(2);
        assertThat(breakGlass.singleFactorSignIns()).isZero();
        assertThat(breakGlass.lastSingleFactorSignIn()).isNull();
        assertThat(breakGlass.lastSignIn()).isCloseTo(Instant.now().minus(Duration.ofDays(2)), within(Duration.ofMinutes(5)));
        PrincipalUsage connector = usage(scan, PrincipalType.USER, CONNECTOR);
        assertThat(connector.signIns()).isEqualTo(3);
        assertThat(connector.singleFactorSignIns()).isEqualTo(3);
        PrincipalUsage old = usage(scan, PrincipalType.USER, OLD_EXCEPTION);
        assertThat(old.signIns()).as("its only sign-in is beyond Graph's retention").isZero();
        assertThat(old.lastSignIn()).isNull();
        assertThat(old.windowDays()).isEqualTo(30);
        assertThat(usage(scan, PrincipalType.USER, PER_USER).signIns()).isZero();
        PrincipalUsage crm = usage(scan, PrincipalType.APPLICATION, LEGACY_CRM_APP);
        assertThat(crm.signIns()).as("the excluded app's sign-ins").isEqualTo(1);
        assertThat(crm.singleFactorSignIns()).isEqualTo(1);
        assertThat(scan.usage()).extracting(PrincipalUsage::principalId).doesNotContain(FIELD_WORKER);
    }

    @Test
    void anExcludedUserWithPerUserMfaEnforcedIsProtectedAndNotCountedUncovered() {
        assertThat(gaps(scan, GapKind.PER_USER_MFA_ONLY)).singleElement().satisfies(g -> {
            assertThat(g.userId()).isEqualTo(PER_USER);
            assertThat(g.perUserMfaState()).isEqualTo("enforced");
            assertThat(g.detail()).contains("Require MFA for all users");
        });
        assertThat(scan.coverage().uncovered()).extracting(UncoveredUser::id)
                .containsExactlyInAnyOrder(BREAK_GLASS, CONNECTOR, OLD_EXCEPTION);
    }

    @Test
    void thePostureStatesTheWindowReadAndTheCounts() {
        TenantScan.Posture p = scan.posture();
        assertThat(p.signInWindowDays()).isEqualTo(30);
        assertThat(Duration.between(p.windowStart(), p.windowEnd())).isEqualTo(Duration.ofDays(30));
        assertThat(p.signInsRead()).as("successful sign-ins in the window").isEqualTo(7);
        assertThat(p.singleFactorSignIns()).isEqualTo(4);
        assertThat(p.singleFactorUsers()).isEqualTo(2);
        assertThat(p.perUserMfaOnly()).isEqualTo(1);
        assertThat(scan.missingSignals()).isEmpty();
    }

    @Test
    void theSignalsCostOneBetaBatchPagedListingsAndPerUserMfaForExcludedOrUncoveredUsersOnly() {
        // interactive, non-interactive and service principal sign-ins (an app is excluded), first pages in one beta
        // $batch with the per-user MFA state of the 4 uncovered users (not of the covered field worker)
        assertThat(counted.get("signIns.beta")).isEqualTo(3);
        assertThat(counted.getOrDefault("signIns", 0L)).as("v1.0 is not read when beta answers").isZero();
        assertThat(counted.get("perUserMfa")).as("never for every user").isEqualTo(4);
        long all = counted.values().stream().mapToLong(Long::longValue).sum();
        assertThat((long) scan.graphRequestCount()).as("what Graph's throttling counts")
                .isEqualTo(all - counted.getOrDefault("batch", 0L));
    }

    @Test
    void aShorterWindowReadsOnlyItsDays() {
        TenantScan week = scanner().scan(TENANT, 7);
        assertThat(week.posture().signInWindowDays()).isEqualTo(7);
        assertThat(usage(week, PrincipalType.USER, BREAK_GLASS).signIns()).as("the sign-in 10 days ago is outside").isEqualTo(1);
        assertThat(usage(week, PrincipalType.USER, CONNECTOR).signIns()).isEqualTo(3);
    }

    @Test
    void aWindowLongerThanGraphsRetentionIsCappedAndSaysSo() {
        TenantScan long90 = scanner().scan(TENANT, 90);
        assertThat(long90.posture().signInWindowDays()).isEqualTo(30);
        assertThat(usage(long90, PrincipalType.USER, OLD_EXCEPTION).windowDays()).isEqualTo(30);
    }

    @Test
    void withoutEntraIdP1TheSignInsAreAMissingSignalAndNothingIsInferred() {
        TenantScan free = scanner().scan(UNLICENSED);
        assertThat(free.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(free.missingSignals()).extracting(m -> m.signal()).containsExactlyInAnyOrder("registration", "signIns");
        assertThat(free.missingSignals()).allSatisfy(m ->
                assertThat(m.reason()).contains("403").contains("Authentication_RequestFromNonPremiumTenantOrB2CTenant"));
        assertThat(gaps(free, GapKind.SINGLE_FACTOR_SIGNINS)).isEmpty();
        assertThat(free.usage()).as("no sign-ins read: no evidence of non-use either").isEmpty();
        assertThat(free.posture().signInWindowDays()).isNull();
        assertThat(free.posture().signInsRead()).isNull();
        assertThat(gaps(free, GapKind.PER_USER_MFA_ONLY)).as("per-user MFA needs no P1").hasSize(1);
    }

    @Test
    void aRefusedPerUserMfaReadIsAMissingSignalAndTheUserStaysUncovered() {
        sim.admin().setTenantFaults(REFUSED, FaultSpec.none().withConsentRevoked(403).onlyFor(Set.of("perUserMfa")));
        TenantScan refused = scanner().scan(REFUSED);
        assertThat(refused.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(refused.missingSignals()).singleElement().satisfies(m -> {
            assertThat(m.signal()).isEqualTo("perUserMfa");
            assertThat(m.reason()).contains("403").doesNotContain(PER_USER);
        });
        assertThat(gaps(refused, GapKind.PER_USER_MFA_ONLY)).isEmpty();
        assertThat(refused.posture().perUserMfaOnly()).isNull();
        assertThat(refused.coverage().uncovered()).extracting(UncoveredUser::id).contains(PER_USER);
        assertThat(gaps(refused, GapKind.SINGLE_FACTOR_SIGNINS)).as("the other signals are read as before").hasSize(2);
    }

    @Test
    void perUserMfaIsReadForAtMostTheLimitOfUncoveredUsersAndTheRestStayUncovered() {
        TenantScanner capped = new TenantScanner(new GraphClientFactory(Simulators.settings(sim).withPerUserMfaLimit(1)),
                java.time.Clock.systemUTC());
        long before = sim.counters().forTenant(CAPPED, "perUserMfa");
        TenantScan s = capped.scan(CAPPED);
        assertThat(s.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(sim.counters().forTenant(CAPPED, "perUserMfa") - before).isEqualTo(1);
        assertThat(s.missingSignals()).singleElement().satisfies(m -> {
            assertThat(m.signal()).isEqualTo("perUserMfa");
            assertThat(m.reason()).startsWith("read for 1 of 4 uncovered users");
        });
        assertThat(gaps(s, GapKind.PER_USER_MFA_ONLY)).as("the migrating admin was not read: nothing inferred").isEmpty();
        assertThat(s.coverage().uncovered()).extracting(UncoveredUser::id).contains(PER_USER);
    }

    @Test
    void atGraphsOwnReportsLimitTheReadsArePacedAndNeverThrottled() {
        // registration, 3 sign-in listings and 4 per-user MFA reads: 8 requests of the reports bucket, 5 per 10 s
        sim.admin().setLimits(LimitsConfig.graphDefaults().withCa(50, 2));
        try {
            TenantScanner paced = new TenantScanner(new GraphClientFactory(Simulators.settings(sim).withReportsLimit(5)),
                    java.time.Clock.systemUTC());
            long before = sim.counters().throttled(PACED);
            long t0 = System.nanoTime();
            TenantScan s = paced.scan(PACED);
            assertThat(s.status()).as(s.error()).isEqualTo(ScanStatus.COMPLETE);
            assertThat(sim.counters().throttled(PACED)).as("no 429: a throttled request counts, and so does its retry")
                    .isEqualTo(before);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the sixth request waited for the window")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(9));
            assertThat(gaps(s, GapKind.SINGLE_FACTOR_SIGNINS)).hasSize(2);
        } finally {
            sim.admin().setLimits(Simulators.fastLimits());
        }
    }
}
