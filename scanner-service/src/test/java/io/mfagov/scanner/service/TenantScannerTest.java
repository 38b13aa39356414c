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
        // a service principal inside an excluded group is not a user: CA user conditions never apply to it
        assertThat(of(full, SALESFORCE_SP)).isEmpty();
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
        // the legacy-authentication block is not an MFA policy, but an exclusion from it is a single-factor path
        assertThat(in(full, P_BLOCK)).singleElement().satisfies(d -> {
            assertThat(d.principal().id()).isEqualTo(SCANNER_SVC);
            assertThat(d.policy().mfaRequirement()).isEqualTo(MfaRequirement.BLOCK);
        });
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
    void aTenantIsScannedInFiveRoundTripsAndNothingIsFetchedTwice() {
        sim.counters().reset(F4);
        TenantScan scan = scanner.scan(F4);
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        // round trips: policies; $batch (security defaults, every role assignment, PIM role eligibility, enabled
        // users, registration details, getByIds, 2 excluded groups' members, their PIM group eligibility, apps); $batch (2 nested or
        // role-assignable groups); named locations; the beta $batch of the gap signals (3 sign-in listings, an app being
        // excluded, and the per-user MFA state of the 7 uncovered users)
        assertThat(sim.counters().forTenant(F4, "batch")).isEqualTo(3);
        assertThat(sim.counters().forTenant(F4, "signIns.beta")).isEqualTo(3);
        assertThat(sim.counters().forTenant(F4, "perUserMfa")).as("only uncovered users").isEqualTo(7);
        assertThat(sim.counters().forTenant(F4, "caPolicies")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "securityDefaults")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "roleAssignments")).as("one read for every role").isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "roleEligibilityScheduleInstances")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "users")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "userRegistrationDetails")).as("one paged listing").isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "getByIds")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "transitiveMembers")).isEqualTo(4);
        assertThat(sim.counters().forTenant(F4, "groupEligibilityScheduleInstances")).isEqualTo(2);
        assertThat(sim.counters().forTenant(F4, "servicePrincipals")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "authenticationStrengthPolicies")).as("the strength is named inline").isZero();
        assertThat(sim.counters().forTenant(F4, "namedLocations")).isEqualTo(1);
        assertThat(sim.counters().forTenant(F4, "user")).isZero();
        // what Graph's throttling counts: every request inside the batches, not the envelopes
        assertThat((long) scan.graphRequestCount()).isEqualTo(evaluated(F4)).isEqualTo(15 + 3 + 7);
    }

    /** Requests the simulator evaluated for a tenant, inner $batch requests one by one, envelopes not counted. */
    private static long evaluated(String tenant) {
        return sim.counters().forTenant(tenant) - sim.counters().forTenant(tenant, "batch");
    }

    @Test
    void pagesOfPoliciesAndOfLargeGroupsAreAllFollowed() {
        sim.counters().reset(LARGE);
        TenantScanner paging = new TenantScanner(new GraphClientFactory(settings.withPageSizes(999, 2)), Clock.systemUTC());
        TenantScan scan = paging.scan(LARGE);
        assertThat(sim.counters().throttled(LARGE)).as("throttled answers").isZero();
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.policiesEvaluated()).isEqualTo(5);
        assertThat(scan.detections().stream().filter(d -> d.via().kind() == ViaKind.GROUP)).hasSize(2500);
        assertThat(scan.detections().stream().filter(d -> d.via().kind() == ViaKind.DIRECT)
                .map(d -> d.principal().id()).distinct()).hasSize(40);
        assertThat(sim.counters().forTenant(LARGE, "caPolicies")).as("3 policy pages").isEqualTo(3);
        assertThat(sim.counters().forTenant(LARGE, "transitiveMembers")).as("3 member pages").isEqualTo(3);
        assertThat((long) scan.graphRequestCount()).isEqualTo(evaluated(LARGE));
    }

    @Test
    void throttlingWithRetryAfterIsWaitedOutAndTheScanCompletes() {
        // 11 reads of the first $batch may be throttled, each half of the time: a scan meeting no 429 (0.5^11) or a
        // read failing 13 times in a row (11 x 0.5^13) are both below 0.2 %
        sim.admin().setTenantFaults(F1, FaultSpec.none().withErrorShare(429, 0.5).withRetryAfterSeconds(1)
                .onlyFor(Set.of("getByIds", "transitiveMembers", "roleAssignments", "servicePrincipals", "users",
                        "securityDefaults", "roleEligibilityScheduleInstances", "groupEligibilityScheduleInstances")));
        TenantScanner patient = new TenantScanner(new GraphClientFactory(
                settings.withRetries(12, Duration.ofMillis(20), Duration.ofSeconds(2))), Clock.systemUTC());
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
        sim.counters().reset(F3);
        sim.admin().setTenantFaults(F3, spec(fault, 1.0).onlyFor(Set.of("namedLocations")));
        TenantScan scan = scanner.scan(F3);
        assertThat(scan.status()).isEqualTo(ScanStatus.PARTIAL);
        assertThat(scan.failedReads()).containsExactly("namedLocations");
        assertThat(scan.error()).contains("namedLocations");
        assertThat(of(scan, BREAK_GLASS_1)).isNotEmpty();
        // a CA read backs off with jitter until the CA retry budget (500 ms here, 60 s by default) is spent
        assertThat(sim.counters().forTenant(F3, "namedLocations")).as("first try and its retries").isGreaterThanOrEqualTo(5);
        assertThat((long) scan.graphRequestCount()).as("every retry counted").isEqualTo(evaluated(F3));
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
        assertThat(rewriter.batches()).as("first batch + max-retries (3) retries, then the gap signals' beta batch")
                .isEqualTo(5);
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
        sim.counters().reset(F1);
        sim.admin().setTenantFaults(F1, spec("503", 1.0).onlyFor(Set.of("caPolicies")));
        long t0 = System.nanoTime();
        TenantScan scan = scanner.scan(F1);
        assertThat(scan.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(scan.failedReads()).containsExactly("conditionalAccess/policies");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("backed off for the whole CA retry budget")
                .isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat((long) scan.graphRequestCount()).isEqualTo(sim.counters().forTenant(F1, "caPolicies"))
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void aTenantWithoutPoliciesCompletesWithNothingFoundButEnforcesNoMfa() {
        TenantScan scan = scanner.scan(EMPTY);
        assertThat(scan.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(scan.detections()).isEmpty();
        assertThat(scan.coverage().noMfaEnforcement()).as("never a quiet COMPLETE with zero rows").isTrue();
        // the endpoint minimum: policies, then security defaults, role assignments, PIM eligibility, users,
        // registration details; then interactive and non-interactive sign-ins (no user: no per-user MFA read)
        assertThat(scan.graphRequestCount()).isEqualTo(8);
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
