package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationPlan;
import io.mfagov.model.events.RemediationReason;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ViaKind;
import io.mfagov.scanner.service.RemediationPlanner.GroupFacts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure plan rules: which change removes one exclusion, from the policy JSON as read and the group's facts. */
class RemediationPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "11111111-1111-4111-8111-000000000001";
    private static final String POLICY = "00000000-9999-4000-8000-000000000001";
    private static final String BG = "00000000-aaaa-4000-8000-000000000001";
    private static final String USER = "00000000-aaaa-4000-8000-000000000003";
    private static final String OTHER = "00000000-aaaa-4000-8000-000000000004";
    private static final String GROUP = "00000000-bbbb-4000-8000-000000000001";
    private static final String INNER = "00000000-bbbb-4000-8000-000000000002";
    private static final String ROLE = "62e90394-69f5-4237-9190-012177145e10";

    private static JsonNode policy() {
        try {
            return JSON.readTree("""
                {"id":"%s","displayName":"Require MFA for all users","state":"enabled",
                 "modifiedDateTime":"2026-11-01T08:00:00Z","createdDateTime":"2026-01-01T08:00:00Z",
                 "conditions":{"users":{"includeUsers":["All"],"excludeUsers":["%s","%s","GuestsOrExternalUsers"],
                    "includeGroups":[],"excludeGroups":["%s"],"includeRoles":[],"excludeRoles":["%s"],
                    "includeGuestsOrExternalUsers":null,"excludeGuestsOrExternalUsers":null,"futureProperty":{"x":1}},
                   "applications":{"includeApplications":["All"]}},
                 "grantControls":{"operator":"OR","builtInControls":["mfa"]}}
                """.formatted(POLICY, BG, USER, GROUP, ROLE));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RemediationRequested request(PrincipalType type, String principal, Via via, boolean sole,
                                                boolean membershipAllowed) {
        return new RemediationRequested(UUID.randomUUID(), UUID.randomUUID(), TENANT, RemediationMode.PLAN,
                RemediationReason.EXPIRED, POLICY, type, principal, "Scanner Service", via, sole, membershipAllowed,
                List.of(BG), null, null, null, Instant.now(), "lifecycle", Instant.now().plusSeconds(3600), null);
    }

    private static Via viaGroup(String... chain) {
        List<PathStep> path = java.util.Arrays.stream(chain).map(id -> new PathStep(ViaKind.GROUP, id,
                id.equals(GROUP) ? "Legacy Scanners" : "Scanner Hosts")).toList();
        return new Via(ViaKind.GROUP, chain[0], "Legacy Scanners", path);
    }

    private static GroupFacts cloudGroup(String id, boolean member) {
        return new GroupFacts(id, "Scanner Hosts", true, false, false, false, false, member, 3);
    }

    @Test
    void aUserNamedDirectlyIsRemovedFromExcludeUsersWithTheWholeUsersObjectAsReadMinusIt() {
        RemediationPlan plan = RemediationPlanner.plan(request(PrincipalType.USER, USER, Via.direct(USER), true, false),
                policy(), null);

        assertThat(plan.kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        assertThat(plan.listName()).isEqualTo("excludeUsers");
        assertThat(plan.removedId()).isEqualTo(USER);
        assertThat(plan.policyModifiedDateTime()).isEqualTo("2026-11-01T08:00:00Z");
        assertThat(plan.usersBefore()).isEqualTo(policy().at("/conditions/users"));
        JsonNode expected = policy().at("/conditions/users").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).set("excludeUsers",
                JSON.createArrayNode().add(BG).add("GuestsOrExternalUsers"));
        assertThat(plan.patchBody()).isEqualTo(JSON.createObjectNode().set("conditions",
                JSON.createObjectNode().set("users", expected)));
        assertThat(plan.patchBody().fieldNames()).toIterable().containsExactly("conditions");
        assertThat(plan.patchBody().at("/conditions/users/futureProperty/x").asInt()).isEqualTo(1);
        assertThat(plan.why()).contains("named directly in excludeUsers");
    }

    @Test
    void aGroupOrRoleNamedDirectlyIsRemovedFromItsOwnList() {
        RemediationPlan group = RemediationPlanner.plan(request(PrincipalType.GROUP, GROUP,
                new Via(ViaKind.GROUP, GROUP, "Legacy Scanners", List.of()), true, false), policy(), null);
        RemediationPlan role = RemediationPlanner.plan(request(PrincipalType.ROLE, ROLE, Via.direct(ROLE), true, false),
                policy(), null);

        assertThat(group.kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        assertThat(group.listName()).isEqualTo("excludeGroups");
        assertThat(group.patchBody().at("/conditions/users/excludeGroups")).isEmpty();
        assertThat(group.patchBody().at("/conditions/users/excludeUsers")).hasSize(3);
        assertThat(role.kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        assertThat(role.listName()).isEqualTo("excludeRoles");
        assertThat(role.patchBody().at("/conditions/users/excludeRoles")).isEmpty();
    }

    @Test
    void aDirectMemberOfACloudAssignedSecurityGroupLosesTheMembershipWhenTheTenantAllowsIt() {
        RemediationRequested r = request(PrincipalType.USER, USER, viaGroup(GROUP), true, true);

        assertThat(RemediationPlanner.membershipGroup(r)).contains(GROUP);
        RemediationPlan plan = RemediationPlanner.plan(r, policy(), cloudGroup(GROUP, true));

        assertThat(plan.kind()).isEqualTo(PlanKind.GROUP_MEMBERSHIP);
        assertThat(plan.groupId()).isEqualTo(GROUP);
        assertThat(plan.removedId()).isEqualTo(USER);
        assertThat(plan.patchBody()).isNull();
        assertThat(plan.steps().get(0)).isEqualTo("DELETE /groups/" + GROUP + "/members/" + USER
                + "/$ref (remove Scanner Service from group Scanner Hosts)");
    }

    @Test
    void aGroupRouteIsManualWhenTheTenantDoesNotAllowMembershipRemovalsAndNamesTheConsequence() {
        RemediationRequested r = request(PrincipalType.USER, USER, viaGroup(GROUP), true, false);

        assertThat(RemediationPlanner.membershipGroup(r)).isEmpty();
        RemediationPlan plan = RemediationPlanner.plan(r, policy(), null);

        assertThat(plan.kind()).isEqualTo(PlanKind.MANUAL);
        assertThat(plan.why()).isEqualTo("the tenant does not allow removing group memberships");
        assertThat(plan.steps()).hasSize(4);
        assertThat(plan.steps().get(0)).contains("Microsoft Entra admin center").contains("Conditional Access > Policies")
                .contains("\"Require MFA for all users\"").contains(POLICY);
        assertThat(plan.steps().get(1)).contains("Users and groups").contains("Legacy Scanners");
        assertThat(plan.steps().get(2)).contains("Remove Scanner Service from group Legacy Scanners");
        assertThat(plan.steps().get(3)).startsWith("Consequence: removing group Legacy Scanners from the policy's exclusions")
                .contains("drop every other member of it too");
    }

    @Test
    void dynamicSyncedMailEnabledOrNonSecurityGroupsAreManualWithTheReason() {
        RemediationRequested r = request(PrincipalType.USER, USER, viaGroup(GROUP), true, true);

        assertThat(RemediationPlanner.plan(r, policy(), new GroupFacts(GROUP, "Legacy Scanners", true, false, true, false,
                false, true, 3)).why()).isEqualTo("group Legacy Scanners is dynamic (its members follow its membership rule)");
        assertThat(RemediationPlanner.plan(r, policy(), new GroupFacts(GROUP, "Legacy Scanners", true, false, false, true,
                false, true, 3)).why()).contains("synchronised from on-premises");
        assertThat(RemediationPlanner.plan(r, policy(), new GroupFacts(GROUP, "Legacy Scanners", true, true, false, false,
                false, true, 3)).why()).contains("mail-enabled");
        RemediationPlan m365 = RemediationPlanner.plan(r, policy(), new GroupFacts(GROUP, "Legacy Scanners", false, true,
                false, false, false, true, 3));
        assertThat(m365.kind()).isEqualTo(PlanKind.MANUAL);
        assertThat(m365.why()).contains("not a security group");
        assertThat(m365.steps().get(3)).contains("drop its 2 other members too");
    }

    @Test
    void aRoleAssignableGroupIsAMembershipRemovalThatNamesTheExtraPermission() {
        RemediationRequested r = request(PrincipalType.USER, USER, viaGroup(GROUP), true, true);

        RemediationPlan plan = RemediationPlanner.plan(r, policy(), new GroupFacts(GROUP, "Privileged", true, false,
                false, false, true, true, 2));

        assertThat(plan.kind()).isEqualTo(PlanKind.GROUP_MEMBERSHIP);
        assertThat(plan.steps()).anyMatch(s -> s.contains("RoleManagement.ReadWrite.Directory"));
    }

    @Test
    void aNestedRouteRemovesTheInnermostMembershipOnlyWhenItIsTheSoleRoute() {
        RemediationRequested sole = request(PrincipalType.USER, USER, viaGroup(GROUP, INNER), true, true);
        RemediationRequested notSole = request(PrincipalType.USER, USER, viaGroup(GROUP, INNER), false, true);

        assertThat(RemediationPlanner.membershipGroup(sole)).contains(INNER);
        RemediationPlan plan = RemediationPlanner.plan(sole, policy(), cloudGroup(INNER, true));
        assertThat(plan.kind()).isEqualTo(PlanKind.GROUP_MEMBERSHIP);
        assertThat(plan.groupId()).isEqualTo(INNER);
        assertThat(plan.why()).contains("nested group Scanner Hosts").contains("sole route");

        assertThat(RemediationPlanner.membershipGroup(notSole)).isEmpty();
        RemediationPlan manual = RemediationPlanner.plan(notSole, policy(), null);
        assertThat(manual.kind()).isEqualTo(PlanKind.MANUAL);
        assertThat(manual.why()).contains("nested group").contains("also another way");
    }

    @Test
    void aPrincipalNoLongerADirectMemberOrAGroupNoLongerExcludedNeedsNothing() {
        RemediationRequested r = request(PrincipalType.USER, USER, viaGroup(GROUP), true, true);
        assertThat(RemediationPlanner.plan(r, policy(), cloudGroup(GROUP, false)).kind()).isEqualTo(PlanKind.NONE);

        String gone = "00000000-bbbb-4000-8000-0000000000ff";
        RemediationPlan plan = RemediationPlanner.plan(request(PrincipalType.USER, USER, viaGroup(gone), true, true),
                policy(), null);
        assertThat(plan.kind()).isEqualTo(PlanKind.NONE);
        assertThat(plan.why()).contains("no longer in the policy's excludeGroups");
    }

    @Test
    void aUserNoLongerNamedDirectlyNeedsNothing() {
        RemediationPlan plan = RemediationPlanner.plan(request(PrincipalType.USER, OTHER, Via.direct(OTHER), true, false),
                policy(), null);

        assertThat(plan.kind()).isEqualTo(PlanKind.NONE);
        assertThat(plan.patchBody()).isNull();
    }

    @Test
    void aRolePathIsAlwaysManualAndNamesTheRoleAndItsConsequence() {
        Via via = new Via(ViaKind.ROLE, ROLE, "Global Administrator",
                List.of(new PathStep(ViaKind.ROLE, ROLE, "Global Administrator")));
        RemediationPlan plan = RemediationPlanner.plan(request(PrincipalType.USER, USER, via, true, true), policy(), null);

        assertThat(plan.kind()).isEqualTo(PlanKind.MANUAL);
        assertThat(plan.why()).contains("directory role Global Administrator");
        assertThat(plan.steps().get(1)).contains("Directory roles").contains("Global Administrator");
        assertThat(plan.steps().get(3)).contains("every holder of Global Administrator");
    }

    @Test
    void guestRulesApplicationsAndLocationsAreManual() {
        RemediationPlan plan = RemediationPlanner.plan(request(PrincipalType.GUEST_RULE, "GuestsOrExternalUsers",
                new Via(ViaKind.GUEST_RULE, "GuestsOrExternalUsers", "guests", List.of()), true, true), policy(), null);

        assertThat(plan.kind()).isEqualTo(PlanKind.MANUAL);
        assertThat(plan.steps()).anyMatch(s -> s.contains("Guest or external users"));
    }

    @Test
    void removingAProtectedIdOrLosingAProtectedExclusionIsRefused() {
        JsonNode before = policy().at("/conditions/users");

        assertThat(RemediationPlanner.protectedViolation(BG, before, RemediationPlanner.without(before, "excludeUsers", BG),
                List.of(BG))).get().asString().contains("protected");
        assertThat(RemediationPlanner.protectedViolation(USER, before,
                RemediationPlanner.without(RemediationPlanner.without(before, "excludeUsers", USER), "excludeUsers", BG),
                List.of(BG))).get().asString().contains("would remove protected " + BG);
        assertThat(RemediationPlanner.protectedViolation(USER, before,
                RemediationPlanner.without(before, "excludeUsers", USER), List.of(BG, GROUP))).isEmpty();
        assertThat(RemediationPlanner.protectedViolation(GROUP, before,
                RemediationPlanner.without(before, "excludeGroups", GROUP), List.of(GROUP))).isPresent();
    }

    @Test
    void aRollbackPlanAppendsTheRemovedIdBackToItsList() {
        RemediationPlan applied = RemediationPlanner.plan(request(PrincipalType.USER, USER, Via.direct(USER), true, false),
                policy(), null);
        com.fasterxml.jackson.databind.node.ObjectNode after = policy().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) after.get("conditions")).set("users",
                applied.patchBody().at("/conditions/users"));
        RemediationRequested rollback = new RemediationRequested(UUID.randomUUID(), UUID.randomUUID(), TENANT,
                RemediationMode.ROLLBACK, RemediationReason.EXPIRED, POLICY, PrincipalType.USER, USER, "Scanner Service",
                Via.direct(USER), true, false, List.of(), applied, null, null, Instant.now(), "approver",
                Instant.now().plusSeconds(60), null);

        RemediationPlan plan = RemediationPlanner.rollbackPlan(rollback, after);

        assertThat(plan.kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        assertThat(RemediationPlanner.list(plan.patchBody().at("/conditions/users"), "excludeUsers"))
                .containsExactly(BG, "GuestsOrExternalUsers", USER);
        assertThat(RemediationPlanner.rollbackPlan(rollback, policy()).kind()).isEqualTo(PlanKind.NONE);
    }

    @Test
    void annotationsAreNeverSentInAPatchBody() throws Exception {
        JsonNode users = JSON.readTree("{\"@odata.context\":\"x\",\"@odata.type\":\"#microsoft.graph.conditionalAccessUsers\","
                + "\"includeUsers\":[\"All\"]}");

        assertThat(RemediationPlanner.patchBody(users).at("/conditions/users").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("@odata.type", "includeUsers");
    }
}
