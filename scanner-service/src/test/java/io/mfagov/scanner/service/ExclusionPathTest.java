package io.mfagov.scanner.service;

import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.PolicyState;
import io.mfagov.scanner.policy.CaPolicy;
import io.mfagov.scanner.policy.Policies;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ViaKind;
import io.mfagov.scanner.service.ExclusionResolver.Directory;
import io.mfagov.scanner.service.ExclusionResolver.GuestRule;
import io.mfagov.scanner.service.ExclusionResolver.MfaPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pure logic: how the directory data a scan read turns a policy's exclusions into principals and their paths (nested
 * groups, roles held by role-assignable groups, guests, unresolved ids), and which policies count.
 */
class ExclusionPathTest {

    private static final PolicyRef POLICY = new PolicyRef("p1", "Require MFA", PolicyState.ENABLED,
            MfaRequirement.BUILT_IN_MFA, null);
    private static final String GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";

    private static MfaPolicy policy(List<String> users, List<String> groups, List<String> roles, List<GuestRule> guests) {
        return new MfaPolicy(POLICY, users, groups, roles, guests, List.of(), List.of());
    }

    private static DirObject user(String id) {
        return DirObject.user(id, "User " + id, id + "@contoso.example", "Member", true);
    }

    private static List<Detection> resolve(MfaPolicy p, Directory dir) {
        return ExclusionResolver.resolve(List.of(p), dir);
    }

    @Test
    void aDirectlyExcludedUserIsReportedDirect() {
        Directory dir = new Directory();
        dir.objects.put("u1", user("u1"));
        Detection d = resolve(policy(List.of("u1"), List.of(), List.of(), List.of()), dir).get(0);
        assertThat(d.principal().resolved()).isTrue();
        assertThat(d.principal().userPrincipalName()).isEqualTo("u1@contoso.example");
        assertThat(d.via().kind()).isEqualTo(ViaKind.DIRECT);
        assertThat(d.via().describe()).isEqualTo("direct");
    }

    @Test
    void anExcludedIdGraphDidNotReturnIsReportedUnresolved() {
        List<Detection> out = resolve(policy(List.of("deleted-user"), List.of("deleted-group"), List.of(), List.of()),
                new Directory());
        assertThat(out).extracting(d -> d.principal().id(), d -> d.principal().type(), d -> d.principal().resolved())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("deleted-user", PrincipalType.USER, false),
                        org.assertj.core.groups.Tuple.tuple("deleted-group", PrincipalType.GROUP, false));
        assertThat(out.get(1).via().describe()).isEqualTo("group:deleted-group");
    }

    @Test
    void membersOfNestedGroupsCarryTheWholeChainOutermostFirst() {
        Directory dir = new Directory();
        dir.objects.put("outer", DirObject.group("outer", "Legacy Scanners"));
        dir.objects.put("inner", DirObject.group("inner", "Scanner Hosts"));
        dir.transitiveMembers.put("outer", List.of(user("u1"), DirObject.group("inner", "Scanner Hosts"), user("u2")));
        dir.transitiveMembers.put("inner", List.of(user("u2")));
        List<Detection> out = resolve(policy(List.of(), List.of("outer"), List.of(), List.of()), dir);
        assertThat(out).extracting(d -> d.principal().id(), d -> d.via().describe()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("u1", "group:Legacy Scanners"),
                org.assertj.core.groups.Tuple.tuple("u2", "group:Legacy Scanners > group:Scanner Hosts"));
        assertThat(out).allSatisfy(d -> {
            assertThat(d.via().kind()).isEqualTo(ViaKind.GROUP);
            assertThat(d.via().id()).isEqualTo("outer");
        });
    }

    @Test
    void anExcludedGroupWithoutUserMembersIsReportedItself() {
        Directory dir = new Directory();
        dir.objects.put("empty", DirObject.group("empty", "Empty group"));
        dir.transitiveMembers.put("empty", List.of());
        Detection d = resolve(policy(List.of(), List.of("empty"), List.of(), List.of()), dir).get(0);
        assertThat(d.principal().type()).isEqualTo(PrincipalType.GROUP);
        assertThat(d.principal().resolved()).isTrue();
        assertThat(d.principal().displayName()).isEqualTo("Empty group");
    }

    @Test
    void roleHoldersAreReachedThroughTheRoleAndMembersOfARoleAssignableGroupThroughRoleThenGroup() {
        Directory dir = new Directory();
        dir.roleHolders.put(GLOBAL_ADMIN, List.of(user("admin"), DirObject.group("admins", "Tier0 Admins")));
        dir.objects.put("admins", DirObject.group("admins", "Tier0 Admins"));
        dir.transitiveMembers.put("admins", List.of(user("m1")));
        List<Detection> out = resolve(policy(List.of(), List.of(), List.of(GLOBAL_ADMIN), List.of()), dir);
        assertThat(out).extracting(d -> d.principal().id(), d -> d.via().describe()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("admin", "role:Global Administrator"),
                org.assertj.core.groups.Tuple.tuple("m1", "role:Global Administrator > group:Tier0 Admins"));
        assertThat(out).allSatisfy(d -> assertThat(d.via().kind()).isEqualTo(ViaKind.ROLE));
    }

    @Test
    void aRoleWithoutHoldersIsReportedItselfResolvedOnlyWhenItsAssignmentsWereRead() {
        Directory read = new Directory();
        read.roleHolders.put(GLOBAL_ADMIN, List.of());
        Detection nobody = resolve(policy(List.of(), List.of(), List.of(GLOBAL_ADMIN), List.of()), read).get(0);
        assertThat(nobody.principal().type()).isEqualTo(PrincipalType.ROLE);
        assertThat(nobody.principal().resolved()).isTrue();

        Detection unread = resolve(policy(List.of(), List.of(), List.of(GLOBAL_ADMIN), List.of()), new Directory()).get(0);
        assertThat(unread.principal().type()).isEqualTo(PrincipalType.ROLE);
        assertThat(unread.principal().resolved()).isFalse();
    }

    @Test
    void aGuestRuleIsOnePrincipalNamedByTheRule() {
        GuestRule rule = new GuestRule(ExclusionResolver.GUESTS_OR_EXTERNAL_USERS, "All guests and external users");
        Detection d = resolve(policy(List.of(), List.of(), List.of(), List.of(rule)), new Directory()).get(0);
        assertThat(d.principal().type()).isEqualTo(PrincipalType.GUEST_RULE);
        assertThat(d.principal().id()).isEqualTo("GuestsOrExternalUsers");
        assertThat(d.via().kind()).isEqualTo(ViaKind.GUEST_RULE);
    }

    @Test
    void aUserExcludedDirectlyAndThroughAGroupIsReportedOncePerPath() {
        Directory dir = new Directory();
        dir.objects.put("u1", user("u1"));
        dir.transitiveMembers.put("g", List.of(user("u1")));
        List<Detection> out = resolve(policy(List.of("u1", "u1"), List.of("g"), List.of(), List.of()), dir);
        assertThat(out).hasSize(2);
        assertThat(out).extracting(Detection::key).doesNotHaveDuplicates();
    }

    @Test
    void onlyEnabledAndReportOnlyPoliciesThatRequireMfaCount() {
        List<String> problems = new ArrayList<>();
        List<MfaPolicy> out = ExclusionResolver.mfaPolicies(List.of(
                Policies.mfaForAll("enabled", "enabled", null),
                Policies.mfaForAll("report", "enabledForReportingButNotEnforced", null),
                Policies.mfaForAll("disabled", "disabled", null),
                Policies.mfaForAll("no-mfa", "enabled", """
                        {"grantControls":{"builtInControls":["compliantDevice"]}}""")), Map.of(), problems);
        assertThat(out).extracting(p -> p.ref().id()).containsExactly("enabled", "report");
        assertThat(out.get(1).ref().state()).isEqualTo(PolicyState.REPORT_ONLY);
        assertThat(problems).isEmpty();
    }

    @Test
    void aPolicyWithoutStateOrUsersIsLeftOutAndNamedAsAProblem() {
        List<String> problems = new ArrayList<>();
        CaPolicy noUsers = Policies.parse("""
                {"id":"no-users","state":"enabled","conditions":{"applications":{"includeApplications":["All"]}},
                 "grantControls":{"operator":"OR","builtInControls":["mfa"]}}""");
        CaPolicy noState = Policies.parse("""
                {"id":"no-state","conditions":{"users":{"includeUsers":["All"]}},
                 "grantControls":{"operator":"OR","builtInControls":["mfa"]}}""");
        List<MfaPolicy> out = ExclusionResolver.mfaPolicies(List.of(noState, noUsers), Map.of(), problems);
        assertThat(out).isEmpty();
        assertThat(problems).hasSize(2).anySatisfy(p -> assertThat(p).contains("no-state"))
                .anySatisfy(p -> assertThat(p).contains("no-users"));
    }

    @Test
    void theNoneLiteralExcludesNobodyAndTheGuestsLiteralBecomesAGuestRule() {
        CaPolicy p = Policies.mfaForAll("p", """
                {"conditions":{"users":{"excludeUsers":["None","GuestsOrExternalUsers","u1"]}}}""");
        MfaPolicy out = ExclusionResolver.mfaPolicies(List.of(p), Map.of(), new ArrayList<>()).get(0);
        assertThat(out.users()).containsExactly("u1");
        assertThat(out.guestRules()).extracting(GuestRule::id).containsExactly("GuestsOrExternalUsers");
    }
}
