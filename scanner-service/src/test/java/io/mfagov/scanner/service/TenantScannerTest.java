package io.mfagov.scanner.service;

import io.mfagov.graphsim.FaultSpec;
import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.ViaKind;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.support.BatchAnswerRewriter;
import io.mfagov.scanner.support.Simulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.mfagov.scanner.support.TestTenants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The scanner against the Graph simulator: real HTTP, the real Graph SDK. */
class TenantScannerTest {

    private static GraphSimulator sim;
    private static ScannerSettings settings;
    private static TenantScanner scanner;
    private static TenantScan full;

    @BeforeAll
    static void start() {
        sim = Simulators.start();
        settings = Simulators.settings(sim);
        scanner = new TenantScanner(new GraphClientFactory(settings), Clock.systemUTC());
        full = scanner.scan(FULL);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clean() {
        sim.admin().clearFaults();
        sim.admin().setLimits(Simulators.fastLimits());
        // no test inherits another's spent rate-limit budget
        sim.admin().resetLimitState();
    }

    private static List<Detection> of(TenantScan scan, String principalId) {
        return scan.detections().stream().filter(d -> d.principal().id().equals(principalId)).toList();
    }

    private static List<Detection> in(TenantScan scan, String policyId) {
        return scan.detections().stream().filter(d -> d.policy().id().equals(policyId)).toList();
    }

    @Test
    void directlyExcludedUsersAreResolvedWithTheirRegisterDetails() {
        assertThat(full.status()).isEqualTo(ScanStatus.COMPLETE);
        Detection bg = of(full, BREAK_GLASS_1).stream().filter(d -> d.policy().id().equals(P_ALL_USERS)).findFirst().orElseThrow();
        assertThat(bg.principal().type()).isEqualTo(PrincipalType.USER);
        assertThat(bg.principal().userPrincipalName()).isEqualTo("bg1@full.example");
        assertThat(bg.principal().displayName()).isEqualTo("Break Glass 1");
        assertThat(bg.principal().userType()).isEqualTo("Member");
        assertThat(bg.principal().accountEnabled()).isTrue();
        assertThat(bg.principal().resolved()).isTrue();
        assertThat(bg.via().kind()).isEqualTo(ViaKind.DIRECT);
        assertThat(bg.policy().mfaRequirement()).isEqualTo(MfaRequirement.BUILT_IN_MFA);
    }

    @Test
    void aDeletedUserStillExcludedIsReportedUnresolved() {
        assertThat(of(full, DELETED_USER)).singleElement().satisfies(d -> {
            assertThat(d.principal().resolved()).isFalse();
            assertThat(d.principal().type()).isEqualTo(PrincipalType.USER);
            assertThat(d.policy().id()).isEqualTo(P_ALL_USERS);
        });
    }

    @Test
    void membersOfNestedGroupsCarryTheirGroupChainAndTheCycleEnds() {
        assertThat(of(full, HOST_1)).filteredOn(d -> d.policy().id().equals(P_ALL_USERS)).singleElement().satisfies(d -> {
            assertThat(d.via().kind()).isEqualTo(ViaKind.GROUP);
            assertThat(d.via().id()).isEqualTo(LEGACY_SCANNERS);
            assertThat(d.via().describe()).isEqualTo("group:Legacy Scanners > group:Scanner Hosts");
        });
        assertThat(of(full, SCANNER_SVC)).filteredOn(d -> d.policy().id().equals(P_ALL_USERS)).singleElement()
                .satisfies(d -> {
                    assertThat(d.via().describe()).isEqualTo("group:Legacy Scanners");
                    assertThat(d.principal().accountEnabled()).isFalse();
                });
        assertThat(of(full, SALESFORCE_SP)).singleElement().satisfies(d -> {
            assertThat(d.principal().type()).isEqualTo(PrincipalType.SERVICE_PRINCIPAL);
            assertThat(d.via().describe()).isEqualTo("group:Legacy Scanners > group:Scanner Hosts");
        });
    }

    @Test
    void roleExclusionsReachTenantWideHoldersAndMembersOfRoleAssignableGroups() {
        assertThat(of(full, ADMIN)).singleElement().satisfies(d -> {
            assertThat(d.via().kind()).isEqualTo(ViaKind.ROLE);
            assertThat(d.via().id()).isEqualTo(GLOBAL_ADMIN);
            assertThat(d.via().describe()).isEqualTo("role:Global Administrator");
        });
        assertThat(of(full, ROLE_GROUP_MEMBER)).singleElement().satisfies(d ->
                assertThat(d.via().describe()).isEqualTo("role:Global Administrator > group:Privileged Admins"));
        assertThat(of(full, AU_ADMIN)).as("administrative-unit scoped assignments do not count").isEmpty();
        assertThat(of(full, USER_ADMIN)).as("an excluded role nobody holds is still reported").singleElement()
                .satisfies(d -> assertThat(d.principal().type()).isEqualTo(PrincipalType.ROLE));
    }

    @Test
    void reportOnlyPoliciesAreReportedAsSuchWhileDisabledAndNonMfaPoliciesAreIgnored() {
        assertThat(in(full, P_REPORT_ONLY)).singleElement().satisfies(d -> {
            assertThat(d.policy().state()).isEqualTo(PolicyState.REPORT_ONLY);
            assertThat(d.principal().id()).isEqualTo(BREAK_GLASS_1);
        });
        assertThat(in(full, P_DISABLED)).isEmpty();
        assertThat(in(full, P_BLOCK)).isEmpty();
        assertThat(in(full, P_DEVICE)).isEmpty();
        assertThat(full.policiesEvaluated()).isEqualTo(3);
    }

    @Test
    void authenticationStrengthPoliciesRequireMfaAndNameTheStrength() {
        assertThat(in(full, P_STRENGTH)).isNotEmpty().allSatisfy(d -> {
            assertThat(d.policy().mfaRequirement()).isEqualTo(MfaRequirement.AUTH_STRENGTH);
            assertThat(d.policy().authenticationStrength()).isEqualTo("Phishing-resistant MFA");
        });
    }

    @Test
    void guestRulesApplicationsAndLocationsBecomePrincipals() {
        assertThat(in(full, P_ALL_USERS)).filteredOn(d -> d.principal().type() == PrincipalType.GUEST_RULE)
                .singleElement().satisfies(d -> assertThat(d.principal().id()).isEqualTo("GuestsOrExternalUsers"));
        assertThat(in(full, P_STRENGTH)).filteredOn(d -> d.principal().type() == PrincipalType.GUEST_RULE)
                .singleElement().satisfies(d -> {
                    assertThat(d.principal().id()).isEqualTo("guestOrExternalUserTypes=b2bCollaborationGuest,internalGuest;tenants:all");
                    assertThat(d.via().kind()).isEqualTo(ViaKind.GUEST_RULE);
                });
        assertThat(of(full, SALESFORCE_APP)).singleElement().satisfies(d -> {
            assertThat(d.principal().type()).isEqualTo(PrincipalType.APPLICATION);
            assertThat(d.principal().displayName()).isEqualTo("Salesforce");
            assertThat(d.via().describe()).isEqualTo("application:Salesforce");
        });
        assertThat(of(full, "Office365")).singleElement().satisfies(d -> assertThat(d.principal().resolved()).isTrue());
        assertThat(of(full, UNKNOWN_APP)).singleElement().satisfies(d -> assertThat(d.principal().resolved()).isFalse());
        assertThat(of(full, HQ)).singleElement().satisfies(d -> {
            assertThat(d.principal().type()).isEqualTo(PrincipalType.LOCATION);
            assertThat(d.principal().displayName()).isEqualTo("Headquarters");
            assertThat(d.principal().trusted()).isTrue();
        });
        assertThat(of(full, COUNTRIES)).singleElement().satisfies(d -> assertThat(d.principal().trusted()).isFalse());
        assertThat(of(full, DELETED_LOCATION)).singleElement().satisfies(d -> assertThat(d.principal().resolved()).isFalse());
    }

    @Test
    void aDeletedExcludedGroupIsReportedUnresolved() {
        assertThat(of(full, DELETED_GROUP)).singleElement().satisfies(d -> {
            assertThat(d.principal().type()).isEqualTo(PrincipalType.GROUP);
            assertThat(d.principal().resolved()).isFalse();
        });
    }

    @Test
    void aTenantIsScannedInFourRequestsAndNothingIsFetchedTwice() {
        sim.counters().reset(F4);
        TenantScan scan = scanner.scan(F4);
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        // policies, $batch (getByIds + 2 groups + 2 roles + apps), $batch (2 nested/role groups), named locations
        assertThat(scan.graphRequestCount()).isEqualTo(4);
        assertThat(sim.counters().forTenant(F4, "batch")).isEqualTo(2);
        assertThat(sim.counters().forTenant(F4, "getByIds")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "transitiveMembers")).isEqualTo(4);
        assertThat(sim.counters().forTenant(F4, "roleAssignments")).isEqualTo(2);
        assertThat(sim.counters().forTenant(F4, "caPolicies")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "namedLocations")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "user")).isZero();
    }

    @Test
    void pagesOfPoliciesAndOfLargeGroupsAreAllFollowed() {
        TenantScanner paging = new TenantScanner(new GraphClientFactory(settings.withPageSizes(999, 2)), Clock.systemUTC());
        TenantScan scan = paging.scan(LARGE);
        assertThat(sim.counters().throttled(LARGE)).as("throttled answers").isZero();
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.policiesEvaluated()).isEqualTo(5);
        assertThat(scan.detections().stream().filter(d -> d.via().kind() == ViaKind.GROUP)).hasSize(2500);
        assertThat(scan.detections().stream().filter(d -> d.via().kind() == ViaKind.DIRECT)
                .map(d -> d.principal().id()).distinct()).hasSize(40);
        // 3 policy pages + getByIds/transitiveMembers batch + 2 more member pages
        assertThat(scan.graphRequestCount()).isEqualTo(6);
    }

    @Test
    void throttlingWithRetryAfterIsWaitedOutAndTheScanCompletes() {
        sim.admin().setTenantFaults(F1, FaultSpec.none().withErrorShare(429, 0.35).withRetryAfterSeconds(1)
                .onlyFor(Set.of("getByIds", "transitiveMembers", "roleAssignments", "servicePrincipals")));
        TenantScanner patient = new TenantScanner(new GraphClientFactory(
                settings.withRetries(8, Duration.ofMillis(20), Duration.ofSeconds(2))), Clock.systemUTC());
        long t0 = System.nanoTime();
        TenantScan scan = patient.scan(F1);
        assertThat(sim.counters().throttled(F1)).isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.detections()).hasSameSizeAs(full.detections());
    }

    @Test
    void throttlingWithoutRetryAfterOnCaReadsBacksOffAndTheScanCompletes() {
        sim.admin().setLimits(Simulators.fastLimits().withCa(2, 1));
        TenantScanner unpaced = new TenantScanner(new GraphClientFactory(settings.withCaInterval(Duration.ZERO)
                .withRetries(5, Duration.ofMillis(100), Duration.ofSeconds(2))), Clock.systemUTC());
        long before = sim.counters().throttled(F2);
        TenantScan scan = unpaced.scan(F2);
        assertThat(sim.counters().throttled(F2) - before).as("named locations read too soon after the policies").isPositive();
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(of(scan, HQ)).singleElement().satisfies(d -> assertThat(d.principal().resolved()).isTrue());
    }

    @Test
    void pacedCaReadsAreNotThrottled() {
        // one CA read per 100 ms allowed, no burst; reads paced at 150 ms (a margin for a loaded machine)
        sim.admin().setLimits(Simulators.fastLimits().withCa(10, 1));
        TenantScanner paced = new TenantScanner(new GraphClientFactory(settings.withCaInterval(Duration.ofMillis(150))),
                Clock.systemUTC());
        long before = sim.counters().throttled(F3);
        assertThat(paced.scan(F3).status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(sim.counters().throttled(F3)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"500", "503", "504", "connectionReset", "truncatedJson", "malformedJson"})
    void transientFaultsAreRetriedAndTheScanStillCompletes(String fault) {
        sim.admin().setTenantFaults(F2, spec(fault, 0.5));
        TenantScanner patient = new TenantScanner(new GraphClientFactory(
                settings.withRetries(10, Duration.ofMillis(5), Duration.ofMillis(50))), Clock.systemUTC());
        TenantScan scan = patient.scan(F2);
        assertThat(scan.status()).as(scan.error()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.detections()).hasSameSizeAs(full.detections());
        assertThat(scan.graphRequestCount()).isGreaterThan(4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"500", "503", "504", "connectionReset", "truncatedJson", "malformedJson"})
    void aPersistentFaultOnOneReadMakesTheTenantPartialNamingTheRead(String fault) {
        sim.admin().setTenantFaults(F3, spec(fault, 1.0).onlyFor(Set.of("namedLocations")));
        TenantScan scan = scanner.scan(F3);
        assertThat(scan.status()).isEqualTo(ScanStatus.PARTIAL);
        assertThat(scan.failedReads()).containsExactly("namedLocations");
        assertThat(scan.error()).contains("namedLocations");
        assertThat(of(scan, BREAK_GLASS_1)).isNotEmpty();
        assertThat(scan.graphRequestCount()).as("first try + 3 retries of the failed read").isEqualTo(3 + 4);
    }

    @Test
    void aPersistentFaultInsideABatchMakesTheTenantPartial() {
        sim.admin().setTenantFaults(F3, spec("503", 1.0).onlyFor(Set.of("transitiveMembers")));
        TenantScan scan = scanner.scan(F3);
        assertThat(scan.status()).isEqualTo(ScanStatus.PARTIAL);
        assertThat(scan.failedReads()).contains("transitiveMembers:" + LEGACY_SCANNERS);
        assertThat(scan.error()).contains("503");
    }

    @Test
    void readsEveryBatchAnswerLeavesOutAreRetriedBoundedThenFailedAndTheScanEnds() {
        // Graph's $batch answer without some of the requested items, every time: before the fix the scan retried
        // them forever (holding a tenant-scans thread and the tenant's lock)
        BatchAnswerRewriter rewriter = BatchAnswerRewriter.dropping("/transitiveMembers");
        TenantScanner dropped = new TenantScanner(new GraphClientFactory(settings, List.of(rewriter)), Clock.systemUTC());
        TenantScan scan = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> dropped.scan(F3));
        assertThat(scan.status()).isEqualTo(ScanStatus.PARTIAL);
        assertThat(scan.failedReads()).contains("transitiveMembers:" + LEGACY_SCANNERS, "transitiveMembers:" + DELETED_GROUP);
        assertThat(scan.error()).contains("no answer for it in the $batch response");
        assertThat(rewriter.batches()).as("first batch + max-retries (3) retries").isEqualTo(4);
        assertThat(of(scan, BREAK_GLASS_1)).as("the other reads still count").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {LEGACY_SCANNERS, SCANNER_HOSTS})
    void aGroupThisScanReadAnswering404ForItsMembersIsAFailedReadNotADeletedGroup(String group) {
        // replication lag: getByIds (or the outer group's member list) just returned the group, its members 404.
        // Completing without its members would make the register mark them REMOVED.
        BatchAnswerRewriter rewriter = BatchAnswerRewriter.notFound("/groups/" + group + "/transitiveMembers");
        TenantScanner lagging = new TenantScanner(new GraphClientFactory(settings, List.of(rewriter)), Clock.systemUTC());
        TenantScan scan = lagging.scan(F3);
        assertThat(scan.status()).isEqualTo(ScanStatus.PARTIAL);
        assertThat(scan.failedReads()).containsExactly("transitiveMembers:" + group);
        assertThat(scan.error()).contains("404");
        // a group Graph does not know at all is still a dangling exclusion, not a failed read
        assertThat(of(scan, DELETED_GROUP)).singleElement().satisfies(d -> assertThat(d.principal().resolved()).isFalse());
    }

    @Test
    void anUnknownPolicyStateIsNamedAsAProblemNotSilentlyDropped() {
        // a policy whose state Graph answers with a value the scanner does not know: reported, not silently dropped
        List<String> problems = new java.util.ArrayList<>();
        io.mfagov.scanner.policy.CaPolicy p = io.mfagov.scanner.policy.Policies.mfaForAll("p", "enabledForSomethingNew", null);
        assertThat(ExclusionResolver.mfaPolicies(List.of(p), java.util.Map.of(), problems)).isEmpty();
        assertThat(problems).singleElement().asString().contains("unknown state").contains("enabledForSomethingNew");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403})
    void revokedConsentMakesTheTenantFailed(int status) {
        sim.admin().setTenantFaults(F1, FaultSpec.none().withConsentRevoked(status));
        TenantScan scan = scanner.scan(F1);
        assertThat(scan.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(scan.error()).contains("consent revoked").contains(Integer.toString(status));
        assertThat(scan.detections()).isEmpty();
        assertThat(scan.graphRequestCount()).as("not retried").isEqualTo(1);
    }

    @Test
    void anUnknownTenantIsFailed() {
        TenantScan scan = scanner.scan(UNKNOWN);
        assertThat(scan.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(scan.error()).contains("401");
    }

    @Test
    void policiesThatCannotBeReadMakeTheTenantFailed() {
        sim.admin().setTenantFaults(F1, spec("503", 1.0).onlyFor(Set.of("caPolicies")));
        TenantScan scan = scanner.scan(F1);
        assertThat(scan.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(scan.failedReads()).containsExactly("conditionalAccess/policies");
        assertThat(scan.graphRequestCount()).isEqualTo(4);
    }

    @Test
    void aTenantWithoutPoliciesCompletesWithNothingFound() {
        TenantScan scan = scanner.scan(EMPTY);
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.detections()).isEmpty();
        assertThat(scan.graphRequestCount()).isEqualTo(1);
    }

    @Test
    void oneFailingTenantDoesNotStopTheOthers() {
        sim.admin().setTenantFaults(F1, FaultSpec.none().withConsentRevoked(403));
        try (ParallelScanner parallel = new ParallelScanner(scanner, 4)) {
            List<TenantScan> scans = parallel.scanAll(List.of(F1, FULL, UNKNOWN, EMPTY), null);
            assertThat(scans).extracting(TenantScan::status).containsExactly(ScanStatus.FAILED, ScanStatus.COMPLETE,
                    ScanStatus.FAILED, ScanStatus.COMPLETE);
        }
    }

    static FaultSpec spec(String fault, double share) {
        FaultSpec none = FaultSpec.none();
        return switch (fault) {
            case "connectionReset" -> none.withConnectionResets(share);
            case "truncatedJson" -> none.withTruncatedJson(share);
            case "malformedJson" -> none.withMalformedJson(share);
            default -> none.withErrorShare(Integer.parseInt(fault), share);
        };
    }
}
