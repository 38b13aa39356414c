package io.mfagov.scanner.service;

import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.UncoveredReason;
import io.mfagov.model.events.UncoveredUser;
import io.mfagov.model.events.ViaKind;
import io.mfagov.scanner.policy.CaPolicy;
import io.mfagov.scanner.policy.Policies;
import io.mfagov.scanner.service.CoverageCalculator.Coverage;
import io.mfagov.scanner.service.ExclusionResolver.Directory;
import io.mfagov.scanner.service.ExclusionResolver.MfaPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure logic across policies: scope, PIM eligibility, shadowing, closed holes and coverage, on a hand-built directory. */
class WholePolicySemanticsTest {

    private static final String GA = "62e90394-69f5-4237-9190-012177145e10";

    private final Directory dir = new Directory();

    private DirObject user(String id, String type) {
        DirObject u = DirObject.user(id, "User " + id, id + "@contoso.example", type, true);
        dir.objects.put(id, u);
        return u;
    }

    private List<MfaPolicy> mfa(CaPolicy... policies) {
        List<String> problems = new ArrayList<>();
        List<MfaPolicy> out = ExclusionResolver.mfaPolicies(List.of(policies), Map.of(), problems);
        assertThat(problems).isEmpty();
        return out;
    }

    private void read(DirObject... users) {
        dir.enabledUsers = List.of(users);
        dir.securityDefaults = false;
        dir.allRolesRead = true;
        dir.eligibleRoleHolders = new java.util.HashMap<>();
    }

    @Test
    void anExcludedUserThePolicyNeverIncludesIsNotInScope() {
        DirObject alice = user("alice", "Member");
        DirObject bob = user("bob", "Member");
        dir.transitiveMembers.put("admins", List.of(alice));
        read(alice, bob);
        List<Detection> rows = ExclusionResolver.resolve(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"includeUsers":[],"includeGroups":["admins"],"excludeUsers":["alice","bob"]}}}""")), dir);
        assertThat(rows).filteredOn(d -> d.principal().id().equals("alice")).singleElement()
                .satisfies(d -> assertThat(d.inScope()).isTrue());
        assertThat(rows).filteredOn(d -> d.principal().id().equals("bob")).singleElement()
                .satisfies(d -> assertThat(d.inScope()).as("bob is in no include: cleanup material").isFalse());
    }

    @Test
    void anExclusionIsShadowedWhenAnotherCleanPolicyStillRequiresMfa() {
        DirObject alice = user("alice", "Member");
        read(alice);
        List<Detection> rows = ExclusionResolver.resolve(mfa(
                Policies.mfaForAll("admins-only", """
                        {"conditions":{"users":{"excludeUsers":["alice"]}}}"""),
                Policies.mfaForAll("everyone", null)), dir);
        assertThat(rows).filteredOn(d -> d.principal().id().equals("alice")).singleElement()
                .satisfies(d -> assertThat(d.shadowed()).isTrue());
    }

    @Test
    void aPolicyWithAHoleDoesNotShadow() {
        DirObject alice = user("alice", "Member");
        read(alice);
        List<Detection> rows = ExclusionResolver.resolve(mfa(
                Policies.mfaForAll("main", """
                        {"conditions":{"users":{"excludeUsers":["alice"]}}}"""),
                Policies.mfaForAll("browser-only", """
                        {"conditions":{"clientAppTypes":["browser"]}}""")), dir);
        assertThat(rows).filteredOn(d -> d.principal().id().equals("alice")).singleElement()
                .satisfies(d -> assertThat(d.shadowed()).isFalse());
    }

    @Test
    void pimEligibleHoldersOfAnExcludedRoleAreReportedAsEligible() {
        DirObject active = user("active-admin", "Member");
        DirObject eligible = user("eligible-admin", "Member");
        read(active, eligible);
        dir.roleHolders.put(GA, List.of(active));
        dir.eligibleRoleHolders.put(GA, List.of("eligible-admin"));
        List<Detection> rows = ExclusionResolver.resolve(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"excludeRoles":["%s"]}}}""".formatted(GA))), dir);
        assertThat(rows).extracting(d -> d.principal().id() + ":" + d.eligible())
                .containsExactlyInAnyOrder("active-admin:false", "eligible-admin:true");
        assertThat(rows).allSatisfy(d -> assertThat(d.via().kind()).isEqualTo(ViaKind.ROLE));
    }

    @Test
    void pimEligibleMembersOfAnExcludedGroupAreReportedThroughTheGroup() {
        DirObject member = user("m", "Member");
        DirObject candidate = user("c", "Member");
        read(member, candidate);
        dir.objects.put("g", DirObject.group("g", "Break glass"));
        dir.transitiveMembers.put("g", List.of(member));
        dir.eligibleGroupMembers.put("g", List.of("c"));
        List<Detection> rows = ExclusionResolver.resolve(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"excludeGroups":["g"]}}}""")), dir);
        assertThat(rows).filteredOn(d -> d.principal().id().equals("c")).singleElement().satisfies(d -> {
            assertThat(d.eligible()).isTrue();
            assertThat(d.via().describe()).isEqualTo("group:Break glass");
        });
    }

    @Test
    void devicesContactsAndServicePrincipalsInAnExcludedGroupAreNeverUserRows() {
        DirObject u = user("u", "Member");
        read(u);
        dir.transitiveMembers.put("g", List.of(u, DirObject.servicePrincipal("sp", "App", "app", true),
                new DirObject("dev", DirObject.Kind.OTHER, "Laptop", null, null, null, null)));
        List<Detection> rows = ExclusionResolver.resolve(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"excludeGroups":["g"]}}}""")), dir);
        assertThat(rows).extracting(d -> d.principal().id()).containsExactly("u");
    }

    @Test
    void aRoleAssigneeGraphDidNotReturnIsAnUnresolvedObjectOfUnknownType() {
        read();
        dir.roleHolders.put(GA, List.of(new DirObject("ghost", DirObject.Kind.OTHER, null, null, null, null, null)));
        List<Detection> rows = ExclusionResolver.resolve(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"excludeRoles":["%s"]}}}""".formatted(GA))), dir);
        assertThat(rows).singleElement().satisfies(d -> {
            assertThat(d.principal().type()).isEqualTo(PrincipalType.DIRECTORY_OBJECT);
            assertThat(d.principal().resolved()).isFalse();
        });
    }

    @Test
    void aLegacyClientHoleClosedByABlockForAllUsersIsMarkedAndExclusionsFromTheBlockAreSingleFactorPaths() {
        DirObject printer = user("printer", "Member");
        read(printer);
        List<Detection> rows = ExclusionResolver.resolve(mfa(
                Policies.mfaForAll("browser-mobile", """
                        {"conditions":{"clientAppTypes":["browser","mobileAppsAndDesktopClients"]}}"""),
                Policies.mfaForAll("block-legacy", """
                        {"displayName":"Block legacy authentication",
                         "conditions":{"clientAppTypes":["exchangeActiveSync","other"],"users":{"excludeUsers":["printer"]}},
                         "grantControls":{"builtInControls":["block"]}}""")), dir);
        assertThat(rows).filteredOn(d -> d.via().kind() == ViaKind.CONDITION).hasSize(2)
                .allSatisfy(d -> assertThat(d.closedBy().displayName()).isEqualTo("Block legacy authentication"));
        assertThat(rows).filteredOn(d -> d.principal().id().equals("printer")).singleElement().satisfies(d -> {
            assertThat(d.policy().mfaRequirement()).isEqualTo(MfaRequirement.BLOCK);
            assertThat(d.policy().id()).isEqualTo("block-legacy");
        });
    }

    @Test
    void coverageTellsWhyEachUncoveredUserIsUncovered() {
        DirObject covered = user("covered", "Member");
        DirObject excluded = user("excluded", "Member");
        DirObject partial = user("partial", "Member");
        DirObject reportOnly = user("report", "Member");
        DirObject nobody = user("nobody", "Member");
        read(covered, excluded, partial, reportOnly, nobody);
        List<MfaPolicy> policies = mfa(
                Policies.mfaForAll("full", """
                        {"conditions":{"users":{"includeUsers":["covered","excluded"],"excludeUsers":["excluded"]}}}"""),
                Policies.mfaForAll("browser", """
                        {"conditions":{"clientAppTypes":["browser"],"users":{"includeUsers":["partial"]}}}"""),
                Policies.mfaForAll("pilot", "enabledForReportingButNotEnforced", """
                        {"conditions":{"users":{"includeUsers":["report"]}}}"""));
        Coverage c = CoverageCalculator.compute(policies, dir);
        assertThat(c.enabledMfaPolicies()).isEqualTo(2);
        assertThat(c.reportOnlyMfaPolicies()).isEqualTo(1);
        assertThat(c.allUsersCovered()).isFalse();
        assertThat(c.uncovered()).extracting(u -> u.id() + ":" + u.reason()).containsExactly(
                "excluded:" + UncoveredReason.EXCLUDED_EVERYWHERE, "partial:" + UncoveredReason.ONLY_PARTIAL_POLICIES,
                "report:" + UncoveredReason.ONLY_REPORT_ONLY, "nobody:" + UncoveredReason.IN_NO_INCLUDE);
        assertThat(c.noMfaEnforcement()).isFalse();
    }

    @Test
    void aLegacyHoleClosedForTheUserDoesNotCountAgainstCoverage() {
        DirObject u = user("u", "Member");
        read(u);
        Coverage c = CoverageCalculator.compute(mfa(
                Policies.mfaForAll("modern", """
                        {"conditions":{"clientAppTypes":["browser","mobileAppsAndDesktopClients"]}}"""),
                Policies.mfaForAll("block", """
                        {"conditions":{"clientAppTypes":["exchangeActiveSync","other"]},
                         "grantControls":{"builtInControls":["block"]}}""")), dir);
        assertThat(c.allUsersCovered()).isTrue();
    }

    @Test
    void noEnabledMfaPolicyAndSecurityDefaultsOffIsNoMfaEnforcement() {
        DirObject admin = user("admin", "Member");
        read(admin);
        dir.roleHolders.put(GA, List.of(admin));
        Coverage c = CoverageCalculator.compute(mfa(Policies.mfaForAll("pilot", "enabledForReportingButNotEnforced", null)), dir);
        assertThat(c.noMfaEnforcement()).isTrue();
        assertThat(c.uncovered()).singleElement().satisfies(u -> {
            assertThat(u.reason()).isEqualTo(UncoveredReason.ONLY_REPORT_ONLY);
            assertThat(u.privileged()).isTrue();
        });
    }

    @Test
    void securityDefaultsCoverEveryone() {
        DirObject u = user("u", "Member");
        read(u);
        dir.securityDefaults = true;
        Coverage c = CoverageCalculator.compute(List.of(), dir);
        assertThat(c.allUsersCovered()).isTrue();
        assertThat(c.noMfaEnforcement()).isFalse();
        assertThat(c.uncovered()).isEmpty();
    }

    @Test
    void guestsExcludedByTypeAreUncoveredAndMembersAreNot() {
        DirObject member = user("member", "Member");
        DirObject guest = user("guest", "Guest");
        read(member, guest);
        Coverage c = CoverageCalculator.compute(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"excludeGuestsOrExternalUsers":{"guestOrExternalUserTypes":"b2bCollaborationGuest",
                  "externalTenants":{"@odata.type":"#microsoft.graph.conditionalAccessAllExternalTenants","membershipKind":"all"}}}}}""")),
                dir);
        assertThat(c.uncovered()).extracting(UncoveredUser::id).containsExactly("guest");
    }

    @Test
    void aMembershipThatCouldNotBeReadLeavesCoverageUndecided() {
        DirObject u = user("u", "Member");
        read(u);
        Coverage c = CoverageCalculator.compute(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"includeUsers":[],"includeGroups":["unread"]}}}""")), dir);
        assertThat(c.allUsersCovered()).isNull();
    }

    @Test
    void groupChainsCutAtTheDepthLimitAreNamedAsAProblem() {
        DirObject deep = user("deep", "Member");
        read(deep);
        // g0 > g1 > ... > g39 > deep: deeper than the nesting the scanner follows
        int levels = ExclusionResolver.MAX_DEPTH + 8;
        for (int i = 0; i < levels; i++) {
            List<DirObject> members = new ArrayList<>();
            for (int j = i + 1; j < levels; j++) {
                members.add(DirObject.group("g" + j, "Group " + j));
            }
            members.add(deep);
            dir.transitiveMembers.put("g" + i, members);
        }
        List<Detection> rows = ExclusionResolver.resolve(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"excludeGroups":["g0"]}}}""")), dir);
        assertThat(rows).extracting(d -> d.principal().id()).contains("deep");
        assertThat(dir.problems).singleElement().asString().contains("g0").contains("depth or path limit");
    }

    @Test
    void aGuestTypeTheScannerDoesNotKnowIsCarriedInTheRuleAndFlagged() {
        read();
        List<Detection> rows = ExclusionResolver.resolve(mfa(Policies.mfaForAll("p", """
                {"conditions":{"users":{"excludeGuestsOrExternalUsers":{"guestOrExternalUserTypes":"b2bCollaborationGuest,holoGuest",
                  "externalTenants":{"membershipKind":"all"}}}}}""")), dir);
        assertThat(rows).singleElement().satisfies(d -> {
            assertThat(d.principal().type()).isEqualTo(PrincipalType.GUEST_RULE);
            assertThat(d.principal().id()).contains("holoGuest");
            assertThat(d.flags()).contains("unknownValue:excludeGuestsOrExternalUsers.guestOrExternalUserTypes=holoGuest");
        });
    }
}
