package io.mfagov.scanner.service;

import io.mfagov.graphsim.DemoTenants;
import io.mfagov.graphsim.Fixtures;
import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.model.TenantFixture;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.UncoveredReason;
import io.mfagov.model.events.ViaKind;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.support.Simulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every whole-policy rule end to end: the real Graph SDK over HTTP against the simulator serving
 * {@code tenants/whole-policy-semantics.json} (Microsoft's documented shapes), through the scanner, to rows and coverage.
 */
class WholePolicyScanTest {

    static final String TENANT = "22222222-2222-4222-8222-000000000001";
    static final String UNLICENSED = "22222222-2222-4222-8222-000000000002";
    static final String ALICE = "22222222-aaaa-4000-8000-000000000001";
    static final String FIN = "22222222-aaaa-4000-8000-000000000002";
    static final String PRINTER = "22222222-aaaa-4000-8000-000000000003";
    static final String ADMIN = "22222222-aaaa-4000-8000-000000000004";
    static final String ELIGIBLE = "22222222-aaaa-4000-8000-000000000005";
    static final String BREAK_GLASS = "22222222-aaaa-4000-8000-000000000006";
    static final String CANDIDATE = "22222222-aaaa-4000-8000-000000000007";
    static final String LEGACY = "22222222-aaaa-4000-8000-000000000008";
    static final String GUEST = "22222222-aaaa-4000-8000-000000000009";
    static final String HQ = "22222222-eeee-4000-8000-000000000001";
    static final String P_OR = "22222222-9999-4000-8000-000000000001";
    static final String P_FINANCE = "22222222-9999-4000-8000-000000000002";
    static final String P_BLOCK = "22222222-9999-4000-8000-000000000003";
    static final String P_ADMINS = "22222222-9999-4000-8000-000000000004";
    static final String P_BASELINE = "22222222-9999-4000-8000-000000000005";
    static final String P_NO_LINUX = "22222222-9999-4000-8000-000000000006";
    static final String P_RISK = "22222222-9999-4000-8000-000000000007";
    static final String P_KIOSK = "22222222-9999-4000-8000-000000000008";
    static final String P_TRUSTED = "22222222-9999-4000-8000-000000000009";
    static final String P_DUO = "22222222-9999-4000-8000-00000000000a";
    static final String P_REGISTER = "22222222-9999-4000-8000-00000000000b";
    static final String P_DEVICE_CODE = "22222222-9999-4000-8000-00000000000c";
    static final String P_WINDOWS_MAC = "22222222-9999-4000-8000-00000000000d";
    static final String P_FUTURE = "22222222-9999-4000-8000-00000000000e";

    private static GraphSimulator sim;
    private static TenantScan scan;

    static List<TenantFixture> fixtures() {
        List<TenantFixture> out = new ArrayList<>(Fixtures.readFile(
                Path.of("src", "test", "resources", "tenants", "whole-policy-semantics.json")));
        TenantFixture unlicensed = Fixtures.readFile(
                Path.of("src", "test", "resources", "tenants", "whole-policy-semantics.json")).get(0);
        unlicensed.tenantId = UNLICENSED;
        unlicensed.displayName = "Semantics Without P2";
        unlicensed.pimLicensed = false;
        out.add(unlicensed);
        out.addAll(Fixtures.demo());
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

    private static TenantScanner scanner() {
        return new TenantScanner(new GraphClientFactory(Simulators.settings(sim)), Clock.systemUTC());
    }

    private static List<Detection> rows(String policy, Predicate<Detection> which) {
        return scan.detections().stream().filter(d -> d.policy().id().equals(policy)).filter(which).toList();
    }

    private static Detection row(String policy, String principal) {
        List<Detection> found = rows(policy, d -> d.principal().id().equals(principal));
        assertThat(found).as("%s in %s among %s", principal, policy, scan.detections().stream()
                .map(d -> d.policy().displayName() + "/" + d.principal().id()).toList()).hasSize(1);
        return found.get(0);
    }

    @Test
    void theTenantIsScannedCompletely() {
        assertThat(scan.status()).as(scan.error()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.notes()).isEmpty();
    }

    @Test
    void aNonMfaAlternativeUnderOrIsAGrantAlternativeRow() {
        Detection d = row(P_OR, "grant:compliantDevice");
        assertThat(d.principal().type()).isEqualTo(PrincipalType.GRANT_ALTERNATIVE);
        assertThat(d.via().kind()).isEqualTo(ViaKind.CONDITION);
    }

    @Test
    void anExcludedUserThePolicyNeverIncludesIsNotInScope() {
        assertThat(row(P_FINANCE, ALICE).inScope()).isFalse();
        assertThat(row(P_FINANCE, FIN).inScope()).isTrue();
    }

    @Test
    void legacyClientHolesAreClosedByTheBlockAndItsExclusionIsASingleFactorPath() {
        assertThat(rows(P_FINANCE, d -> d.principal().type() == PrincipalType.CLIENT_APP_TYPE))
                .extracting(d -> d.principal().id() + " closed by " + d.closedBy().displayName())
                .containsExactlyInAnyOrder("clientAppType:exchangeActiveSync closed by Block legacy authentication",
                        "clientAppType:other closed by Block legacy authentication");
        Detection printer = row(P_BLOCK, PRINTER);
        assertThat(printer.policy().mfaRequirement()).isEqualTo(MfaRequirement.BLOCK);
    }

    @Test
    void anAuthenticationStrengthGivenByIdIsLookedUp() {
        Detection d = row(P_ADMINS, BREAK_GLASS);
        assertThat(d.policy().mfaRequirement()).isEqualTo(MfaRequirement.AUTH_STRENGTH);
        assertThat(d.policy().authenticationStrength()).isEqualTo("FIDO2 only");
    }

    @Test
    void pimEligibleMembersAndRoleHoldersAreReportedAsEligible() {
        assertThat(row(P_ADMINS, CANDIDATE).eligible()).as("eligible member of the excluded group").isTrue();
        assertThat(row(P_ADMINS, BREAK_GLASS).eligible()).isFalse();
        assertThat(row(P_BASELINE, ELIGIBLE).eligible()).as("eligible holder of the excluded role").isTrue();
        assertThat(row(P_BASELINE, ADMIN).eligible()).isFalse();
    }

    @Test
    void anExclusionCoveredByAnotherCleanPolicyIsShadowed() {
        assertThat(row(P_BASELINE, ADMIN).shadowed()).as("the FIDO2 policy still covers the admin").isTrue();
        assertThat(row(P_BASELINE, BREAK_GLASS).shadowed()).as("excluded there too").isFalse();
        assertThat(row(P_BASELINE, LEGACY).shadowed()).isFalse();
    }

    @Test
    void platformsAreReadWithThePreferHeaderAndLeftOutOnesAreHoles() {
        assertThat(row(P_NO_LINUX, "platform:linux").principal().displayName()).contains("excluded");
        assertThat(rows(P_WINDOWS_MAC, d -> d.principal().type() == PrincipalType.PLATFORM))
                .extracting(d -> d.principal().id())
                .containsExactly("platform:android", "platform:iOS", "platform:windowsPhone", "platform:linux",
                        "platform:unknown");
    }

    @Test
    void anEnumValueTheScannerDoesNotKnowIsCarriedAsTextAndFlagged() {
        Detection d = row(P_FUTURE, "platform:quantumOS");
        assertThat(d.flags()).contains("unknownValue:excludePlatforms=quantumOS");
    }

    @Test
    void riskDeviceFilterAndFlowConditionsAreHoles() {
        assertThat(row(P_RISK, "signInRisk:none,low").principal().type()).isEqualTo(PrincipalType.RISK_CONDITION);
        Detection kiosk = row(P_KIOSK, "deviceFilter:exclude");
        assertThat(kiosk.flags()).contains("userChangeableProperty");
        assertThat(kiosk.details()).containsEntry("rule", "device.displayName -startsWith \"KIOSK\"");
        assertThat(row(P_DEVICE_CODE, "authenticationFlows:deviceCodeFlow").principal().type())
                .isEqualTo(PrincipalType.CONDITION);
    }

    @Test
    void allTrustedIsExpandedToTheTrustedNamedLocationsWithTheirRanges() {
        Detection hq = row(P_TRUSTED, HQ);
        assertThat(hq.details()).containsEntry("ipRanges", "203.0.113.0/24");
        assertThat(hq.via().describe()).contains("Head office");
        assertThat(rows(P_TRUSTED, d -> d.principal().type() == PrincipalType.LOCATION))
                .extracting(d -> d.principal().id())
                .as("untrusted and country locations are not trusted locations")
                .containsExactlyInAnyOrder(HQ, "00000000-0000-0000-0000-000000000000");
        assertThat(row(P_TRUSTED, "00000000-0000-0000-0000-000000000000").flags()).contains("legacyMfaTrustedIps");
    }

    @Test
    void aCustomControlIsAFindingAndItsRequirementIsNamed() {
        Detection d = row(P_DUO, "customControl:DuoMfa");
        assertThat(d.policy().mfaRequirement()).isEqualTo(MfaRequirement.CUSTOM_CONTROL);
        assertThat(d.policy().customControl()).isEqualTo("DuoMfa");
        assertThat(d.policy().state()).isEqualTo(PolicyState.REPORT_ONLY);
        assertThat(d.flags()).contains("customControlNotMfa");
    }

    @Test
    void theTargetOfAUserActionPolicyIsNamed() {
        assertThat(row(P_REGISTER, GUEST).policyTarget()).isEqualTo("userAction:urn:user:registersecurityinfo");
        assertThat(row(P_BASELINE, LEGACY).policyTarget()).isEqualTo("allApps");
    }

    @Test
    void coverageNamesEveryUncoveredEnabledUserWithTheReason() {
        CoverageCalculator.Coverage c = scan.coverage();
        assertThat(c.securityDefaultsEnabled()).isFalse();
        assertThat(c.enabledMfaPolicies()).isEqualTo(12);
        assertThat(c.reportOnlyMfaPolicies()).isEqualTo(1);
        assertThat(c.enabledUsers()).as("the disabled account is not counted").isEqualTo(10);
        assertThat(c.allUsersCovered()).isFalse();
        assertThat(c.uncovered()).extracting(u -> u.id() + ":" + u.reason() + ":" + u.privileged())
                .containsExactlyInAnyOrder(BREAK_GLASS + ":" + UncoveredReason.EXCLUDED_EVERYWHERE + ":true",
                        LEGACY + ":" + UncoveredReason.EXCLUDED_EVERYWHERE + ":false");
        assertThat(c.noMfaEnforcement()).isFalse();
    }

    @Test
    void aTenantWithoutThePimLicenceStaysCompleteAndSaysSo() {
        TenantScan unlicensed = scanner().scan(UNLICENSED);
        assertThat(unlicensed.status()).as(unlicensed.error()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(unlicensed.notes()).anySatisfy(n -> assertThat(n).contains("PIM role eligibility"))
                .anySatisfy(n -> assertThat(n).contains("PIM group eligibility"));
        assertThat(unlicensed.detections()).noneMatch(d -> Boolean.TRUE.equals(d.eligible()));
    }

    @Test
    void aTenantThatEnforcesNoMfaIsAFindingNotAQuietCompleteScan() {
        TenantScan none = scanner().scan(DemoTenants.NO_MFA);
        assertThat(none.coverage().noMfaEnforcement()).isTrue();
        assertThat(none.coverage().enabledMfaPolicies()).isZero();
        assertThat(none.coverage().uncovered()).isNotEmpty().anySatisfy(u -> assertThat(u.privileged()).isTrue());
    }

    @Test
    void graphRequestsCountEachRequestInsideABatchAsGraphDoes() {
        // the simulator counts every request it evaluates, inner ones one by one, and the envelopes under "batch"
        long evaluated = sim.counters().forTenant(TENANT) - sim.counters().forTenant(TENANT, "batch");
        assertThat(sim.counters().forTenant(TENANT, "batch")).as("the directory reads were batched").isPositive();
        assertThat((long) scan.graphRequestCount()).isEqualTo(evaluated);
    }
}
