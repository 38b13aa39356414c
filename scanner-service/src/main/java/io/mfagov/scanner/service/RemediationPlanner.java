package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.RemediationPlan;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ViaKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The minimal change that removes one principal's exclusion from one policy, decided from the policy JSON as just
 * read (and, for a group route, the group's facts). Pure: no I/O, unit-tested rule by rule.
 *
 * <ul>
 * <li>The id named in the policy's {@code excludeUsers}/{@code excludeGroups}/{@code excludeRoles} (a direct route):
 * EXCLUDE_LIST, the PATCH body being the whole {@code conditions.users} object as read minus that id (Graph replaces
 * lists whole, and refuses a policy re-sent as read).</li>
 * <li>Through a group: never by editing the policy (that would drop every other member); the membership of the
 * innermost group is removed where the tenant allows it, the group is a cloud-only, assigned, non-mail-enabled security
 * group, the principal a user or service principal that is a direct member, and (nested) this is its sole route.</li>
 * <li>Anything else (roles, guest rules, applications, locations, conditions, groups that do not qualify): MANUAL,
 * with the exact steps for a person.</li>
 * <li>The route no longer exists: NONE.</li>
 * </ul>
 */
public final class RemediationPlanner {

    public static final String EXCLUDE_USERS = "excludeUsers";
    public static final String EXCLUDE_GROUPS = "excludeGroups";
    public static final String EXCLUDE_ROLES = "excludeRoles";
    static final List<String> EXCLUDE_LISTS = List.of(EXCLUDE_USERS, EXCLUDE_GROUPS, EXCLUDE_ROLES);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PORTAL = "Microsoft Entra admin center (entra.microsoft.com) > Entra ID > Conditional Access > Policies";

    /**
     * What Graph says of the group whose membership a plan would remove ({@code GET /groups/{id}} and
     * {@code GET /groups/{id}/members/{principalId}}).
     *
     * @param directMember the principal is a direct member (the member read answered 200)
     * @param memberCount  the group's members as last known, for the consequence of a manual removal (null: unknown)
     */
    public record GroupFacts(String id, String displayName, boolean securityEnabled, boolean mailEnabled,
                             boolean dynamic, boolean onPremisesSynced, boolean assignableToRole, boolean directMember,
                             Integer memberCount) {

        /** From Graph's group JSON. */
        public static GroupFacts of(JsonNode group, boolean directMember, Integer memberCount) {
            boolean dynamic = false;
            for (JsonNode t : group.path("groupTypes")) {
                dynamic |= "DynamicMembership".equalsIgnoreCase(t.asText());
            }
            return new GroupFacts(group.path("id").asText(), group.path("displayName").asText(null),
                    group.path("securityEnabled").asBoolean(false), group.path("mailEnabled").asBoolean(false),
                    dynamic, group.path("onPremisesSyncEnabled").asBoolean(false),
                    group.path("isAssignableToRole").asBoolean(false), directMember, memberCount);
        }

        /** Why Graph (or safety) does not allow removing a membership of this group; empty when it does. */
        public Optional<String> refusal() {
            String name = label(displayName, id);
            if (onPremisesSynced) {
                return Optional.of("group " + name + " is synchronised from on-premises Active Directory (its members are changed there)");
            }
            if (dynamic) {
                return Optional.of("group " + name + " is dynamic (its members follow its membership rule)");
            }
            if (!securityEnabled) {
                return Optional.of("group " + name + " is not a security group");
            }
            if (mailEnabled) {
                return Optional.of("group " + name + " is a mail-enabled security group (managed in Exchange)");
            }
            return Optional.empty();
        }
    }

    private RemediationPlanner() {
    }

    /**
     * The group whose facts a plan for this request needs: the innermost group of a group route, if removing the
     * membership could be the answer (the tenant allows it, a user or service principal, sole route when nested).
     */
    public static Optional<String> membershipGroup(RemediationRequested request) {
        Via via = request.via();
        if (via.kind() != ViaKind.GROUP || !request.groupMembershipAllowed() || !memberType(request.principalType())) {
            return Optional.empty();
        }
        List<PathStep> groups = via.path().stream().filter(s -> s.kind() == ViaKind.GROUP).toList();
        if (groups.size() > 1 && !request.soleRoute()) {
            return Optional.empty();
        }
        return Optional.of(groups.isEmpty() ? via.id() : groups.get(groups.size() - 1).id());
    }

    /**
     * The plan for removing the request's exclusion from {@code policy} (Graph's policy JSON as read).
     *
     * @param group the facts of {@link #membershipGroup}'s group, or null when not needed or not found
     */
    public static RemediationPlan plan(RemediationRequested request, JsonNode policy, GroupFacts group) {
        String policyName = policy.path("displayName").asText(null);
        String modified = policy.path("modifiedDateTime").asText(null);
        JsonNode users = users(policy);
        Via via = request.via();
        String principal = label(request.principalDisplayName(), request.principalId());

        if (via.kind() == ViaKind.DIRECT || (via.path().isEmpty() && via.id().equals(request.principalId())
                && (via.kind() == ViaKind.GROUP || via.kind() == ViaKind.ROLE))) {
            Optional<String> list = listHolding(users, request.principalId(), request.principalType());
            if (list.isEmpty()) {
                return none(request, policyName, modified, users, principal + " is no longer named in the policy's exclusions");
            }
            ObjectNode after = without(users, list.get(), request.principalId());
            return new RemediationPlan(PlanKind.EXCLUDE_LIST, request.policyId(), policyName, modified, users.deepCopy(),
                    patchBody(after), list.get(), request.principalId(), null, null,
                    List.of("PATCH /identity/conditionalAccess/policies/" + request.policyId()
                                    + " with conditions.users as read, " + principal + " removed from " + list.get()
                                    + " (every other property and list entry unchanged)",
                            "Read the policy back and verify that nothing else changed"),
                    principal + " is named directly in " + list.get() + " of policy " + label(policyName, request.policyId())
                            + ": removing it from that list affects no one else");
        }

        if (via.kind() == ViaKind.GROUP) {
            String excluded = via.path().isEmpty() ? via.id() : via.path().get(0).id();
            String excludedName = via.path().isEmpty() ? via.displayName() : via.path().get(0).displayName();
            if (!contains(users.path(EXCLUDE_GROUPS), excluded)) {
                return none(request, policyName, modified, users, "group " + label(excludedName, excluded)
                        + " is no longer in the policy's excludeGroups");
            }
            List<PathStep> groups = via.path().stream().filter(s -> s.kind() == ViaKind.GROUP).toList();
            boolean nested = groups.size() > 1;
            PathStep inner = groups.isEmpty() ? new PathStep(ViaKind.GROUP, via.id(), via.displayName())
                    : groups.get(groups.size() - 1);
            String innerName = label(group != null && group.displayName() != null ? group.displayName() : inner.displayName(),
                    inner.id());
            String manualWhy;
            if (!request.groupMembershipAllowed()) {
                manualWhy = "the tenant does not allow removing group memberships";
            } else if (!memberType(request.principalType())) {
                manualWhy = principal + " is a " + request.principalType().name().toLowerCase(java.util.Locale.ROOT)
                        + ", not a user or service principal";
            } else if (nested && !request.soleRoute()) {
                manualWhy = principal + " is excluded through nested group " + innerName
                        + " and also another way: removing that membership alone would not end the exclusion";
            } else if (group == null) {
                manualWhy = "group " + innerName + " could not be read";
            } else if (group.refusal().isPresent()) {
                manualWhy = group.refusal().get();
            } else if (!group.directMember()) {
                return none(request, policyName, modified, users, principal + " is no longer a direct member of group " + innerName);
            } else {
                List<String> steps = new ArrayList<>();
                steps.add("DELETE /groups/" + inner.id() + "/members/" + request.principalId() + "/$ref (remove "
                        + principal + " from group " + innerName + ")");
                steps.add("Read the membership back and verify " + principal + " is no longer a member");
                if (group.assignableToRole()) {
                    steps.add("Group " + innerName + " is role-assignable: the app needs RoleManagement.ReadWrite.Directory as well");
                }
                return new RemediationPlan(PlanKind.GROUP_MEMBERSHIP, request.policyId(), policyName, modified,
                        users.deepCopy(), null, null, request.principalId(), inner.id(), innerName, steps,
                        principal + " is excluded through " + (nested ? "nested group " : "group ") + innerName
                                + ", a cloud-only assigned security group it is a direct member of"
                                + (nested ? " (its sole route)" : "")
                                + ": removing that membership ends the exclusion without editing the policy");
            }
            return manual(request, policyName, modified, users, manualWhy, List.of(
                    "Open " + PORTAL + " > \"" + label(policyName, request.policyId()) + "\" (id " + request.policyId() + ")",
                    "Under Assignments > Users > Exclude, the list Users and groups names group "
                            + label(excludedName, excluded) + ", through which " + principal + " is excluded ("
                            + via.describe() + ")",
                    "Remove " + principal + " from group " + innerName + " where that group's members are managed"
                            + " (Entra ID > Groups, or on-premises AD / the group's rule), or end the exclusion another way",
                    "Consequence: removing group " + label(excludedName, excluded) + " from the policy's exclusions instead would"
                            + " drop " + others(group, excluded) + " too"));
        }

        if (via.kind() == ViaKind.ROLE) {
            String role = via.path().isEmpty() ? via.id() : via.path().get(0).id();
            String roleName = via.path().isEmpty() ? via.displayName() : via.path().get(0).displayName();
            if (!contains(users.path(EXCLUDE_ROLES), role)) {
                return none(request, policyName, modified, users, "role " + label(roleName, role)
                        + " is no longer in the policy's excludeRoles");
            }
            return manual(request, policyName, modified, users, principal + " is excluded through directory role "
                    + label(roleName, role) + ": a role path is never removed automatically", List.of(
                    "Open " + PORTAL + " > \"" + label(policyName, request.policyId()) + "\" (id " + request.policyId() + ")",
                    "Under Assignments > Users > Exclude, the list Directory roles names " + label(roleName, role)
                            + ", through which " + principal + " is excluded (" + via.describe() + ")",
                    "Remove " + principal + "'s assignment of that role (Entra ID > Roles & admins), if it is no longer"
                            + " needed, or end the exclusion another way",
                    "Consequence: removing the role from the policy's exclusions instead would put every holder of "
                            + label(roleName, role) + " under the policy"));
        }

        return manual(request, policyName, modified, users, principal + " is excluded through "
                + via.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + via.describe()
                + ": not a principal the system can remove", List.of(
                "Open " + PORTAL + " > \"" + label(policyName, request.policyId()) + "\" (id " + request.policyId() + ")",
                "Find " + via.describe() + " under Assignments (" + where(via.kind()) + ")",
                "Remove it there if it is no longer needed",
                "Consequence: every user it lets out of the policy is covered by the policy again"));
    }

    /**
     * The plan that re-adds what an applied EXCLUDE_LIST plan removed, from the policy as read now: the rollback's
     * body. NONE when the id is already back.
     */
    public static RemediationPlan rollbackPlan(RemediationRequested request, JsonNode policy) {
        RemediationPlan applied = request.plan();
        String policyName = policy.path("displayName").asText(null);
        String modified = policy.path("modifiedDateTime").asText(null);
        JsonNode users = users(policy);
        if (contains(users.path(applied.listName()), applied.removedId())) {
            return none(request, policyName, modified, users, applied.removedId() + " is already in " + applied.listName());
        }
        return new RemediationPlan(PlanKind.EXCLUDE_LIST, request.policyId(), policyName, modified, users.deepCopy(),
                patchBody(with(users, applied.listName(), applied.removedId())), applied.listName(), applied.removedId(),
                null, null, List.of("PATCH /identity/conditionalAccess/policies/" + request.policyId()
                        + " with conditions.users as read, " + applied.removedId() + " added back to " + applied.listName()),
                "rollback of the removal of " + applied.removedId() + " from " + applied.listName());
    }

    /** The rollback plan of an applied GROUP_MEMBERSHIP plan. */
    public static RemediationPlan rollbackMembershipPlan(RemediationRequested request, boolean alreadyMember) {
        RemediationPlan applied = request.plan();
        if (alreadyMember) {
            return new RemediationPlan(PlanKind.NONE, request.policyId(), applied.policyName(), applied.policyModifiedDateTime(),
                    applied.usersBefore(), null, null, applied.removedId(), applied.groupId(), applied.groupName(),
                    List.of(), applied.removedId() + " is already a member of group " + label(applied.groupName(), applied.groupId()));
        }
        return new RemediationPlan(PlanKind.GROUP_MEMBERSHIP, request.policyId(), applied.policyName(),
                applied.policyModifiedDateTime(), applied.usersBefore(), null, null, applied.removedId(), applied.groupId(),
                applied.groupName(), List.of("POST /groups/" + applied.groupId() + "/members/$ref (add "
                        + applied.removedId() + " back)"), "rollback of the removal of the membership");
    }

    // ---- safety -------------------------------------------------------------------------------------------------

    /**
     * Why the change from {@code usersBefore} to {@code usersAfter} (removing {@code removedId}) must not be made:
     * the removed id is protected (a break-glass account, or a group or role through which one is excluded), or a
     * protected id that was in an exclude list would be lost. Empty when the change is allowed.
     */
    public static Optional<String> protectedViolation(String removedId, JsonNode usersBefore, JsonNode usersAfter,
                                                      Collection<String> protectedIds) {
        if (protectedIds.contains(removedId)) {
            return Optional.of(removedId + " is protected (break-glass or another non-enforceable exception): "
                    + "it is never removed automatically");
        }
        if (usersBefore == null || usersAfter == null) {
            return Optional.empty();
        }
        for (String list : EXCLUDE_LISTS) {
            for (JsonNode id : usersBefore.path(list)) {
                if (protectedIds.contains(id.asText()) && !contains(usersAfter.path(list), id.asText())) {
                    return Optional.of("the change would remove protected " + id.asText() + " from " + list);
                }
            }
        }
        return Optional.empty();
    }

    // ---- JSON ---------------------------------------------------------------------------------------------------

    /** The policy's {@code conditions.users} object (an empty object when absent). */
    public static JsonNode users(JsonNode policy) {
        JsonNode users = policy.path("conditions").path("users");
        return users.isObject() ? users : JSON.createObjectNode();
    }

    /** {@code {"conditions":{"users": users}}}, without annotations Graph refuses in a PATCH. */
    public static ObjectNode patchBody(JsonNode users) {
        ObjectNode u = users.deepCopy();
        List<String> annotations = new ArrayList<>();
        u.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("@") && !k.equals("@odata.type")) {
                annotations.add(k);
            }
        });
        annotations.forEach(u::remove);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("conditions").set("users", u);
        return body;
    }

    /** A copy of the users object with {@code id} removed from {@code list} (every other entry in its order). */
    public static ObjectNode without(JsonNode users, String list, String id) {
        ObjectNode copy = users.deepCopy();
        ArrayNode kept = copy.arrayNode();
        users.path(list).forEach(e -> {
            if (!e.asText().equals(id)) {
                kept.add(e);
            }
        });
        copy.set(list, kept);
        return copy;
    }

    /** A copy of the users object with {@code id} appended to {@code list}. */
    public static ObjectNode with(JsonNode users, String list, String id) {
        ObjectNode copy = users.deepCopy();
        ArrayNode all = copy.arrayNode();
        users.path(list).forEach(all::add);
        all.add(id);
        copy.set(list, all);
        return copy;
    }

    public static List<String> list(JsonNode users, String list) {
        List<String> ids = new ArrayList<>();
        users.path(list).forEach(e -> ids.add(e.asText()));
        return ids;
    }

    static boolean contains(JsonNode array, String id) {
        for (JsonNode e : array) {
            if (e.asText().equalsIgnoreCase(id)) {
                return true;
            }
        }
        return false;
    }

    /** The exclude list naming {@code id}: the one its type says first, then any. */
    static Optional<String> listHolding(JsonNode users, String id, PrincipalType type) {
        String preferred = switch (type) {
            case GROUP -> EXCLUDE_GROUPS;
            case ROLE -> EXCLUDE_ROLES;
            default -> EXCLUDE_USERS;
        };
        if (contains(users.path(preferred), id)) {
            return Optional.of(preferred);
        }
        return EXCLUDE_LISTS.stream().filter(l -> contains(users.path(l), id)).findFirst();
    }

    private static boolean memberType(PrincipalType type) {
        return type == PrincipalType.USER || type == PrincipalType.SERVICE_PRINCIPAL;
    }

    private static RemediationPlan none(RemediationRequested r, String name, String modified, JsonNode users, String why) {
        return new RemediationPlan(PlanKind.NONE, r.policyId(), name, modified, users.deepCopy(), null, null,
                r.principalId(), null, null, List.of(), why);
    }

    private static RemediationPlan manual(RemediationRequested r, String name, String modified, JsonNode users, String why,
                                          List<String> steps) {
        return new RemediationPlan(PlanKind.MANUAL, r.policyId(), name, modified, users.deepCopy(), null, null,
                r.principalId(), null, null, steps, why);
    }

    private static String others(GroupFacts group, String excludedGroup) {
        if (group == null || group.memberCount() == null || !group.id().equalsIgnoreCase(excludedGroup)) {
            return "every other member of it";
        }
        return "its " + Math.max(0, group.memberCount() - 1) + " other members";
    }

    private static String where(ViaKind kind) {
        return switch (kind) {
            case GUEST_RULE -> "Users > Exclude > Guest or external users";
            case APPLICATION -> "Target resources > Exclude";
            case LOCATION -> "Conditions > Locations > Exclude";
            default -> "Conditions, or Grant";
        };
    }

    static String label(String name, String id) {
        return name == null || name.isBlank() ? id : name;
    }
}
