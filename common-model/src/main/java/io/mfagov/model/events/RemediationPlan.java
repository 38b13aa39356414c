package io.mfagov.model.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.model.Require;

import java.util.List;

/**
 * The minimal change that removes one principal's exclusion from one policy, as the scanner computed it from what it
 * just read. A dry run shows it; an approver approves it; the scanner writes it only if the tenant still matches it.
 *
 * @param kind                   how the removal is carried out
 * @param policyId               the policy
 * @param policyName             its name, as read
 * @param policyModifiedDateTime the policy's {@code modifiedDateTime} as read (Graph offers no ETag on policies: this
 *                               and {@code usersBefore} are what the write is compared with)
 * @param usersBefore            the policy's whole {@code conditions.users} object as read
 * @param patchBody              EXCLUDE_LIST: the exact PATCH body, {@code {"conditions":{"users":{…}}}} — the whole
 *                               users object as read minus the principal (lists are replaced whole)
 * @param listName               EXCLUDE_LIST: {@code excludeUsers}, {@code excludeGroups} or {@code excludeRoles}
 * @param removedId              the id removed: from {@code listName}, or from {@code groupId}'s members
 * @param groupId                GROUP_MEMBERSHIP: the group whose direct membership is removed
 * @param groupName              its name
 * @param steps                  readable steps: what the system will do, or (MANUAL) exactly what a person does
 * @param why                    why this kind was chosen (e.g. "group Legacy Scanners is dynamic")
 */
public record RemediationPlan(
        PlanKind kind,
        String policyId,
        String policyName,
        String policyModifiedDateTime,
        JsonNode usersBefore,
        JsonNode patchBody,
        String listName,
        String removedId,
        String groupId,
        String groupName,
        List<String> steps,
        String why) {

    public RemediationPlan {
        Require.present(kind, "plan.kind");
        Require.text(policyId, "plan.policyId");
        steps = steps == null ? List.of() : List.copyOf(steps);
        if (kind == PlanKind.EXCLUDE_LIST) {
            Require.present(patchBody, "plan.patchBody");
            Require.text(listName, "plan.listName");
            Require.text(removedId, "plan.removedId");
        }
        if (kind == PlanKind.GROUP_MEMBERSHIP) {
            Require.text(groupId, "plan.groupId");
            Require.text(removedId, "plan.removedId");
        }
    }
}
