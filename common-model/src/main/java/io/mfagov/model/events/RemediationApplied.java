package io.mfagov.model.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A remediation (APPLY) or its rollback (ROLLBACK) was written to the tenant and the policy read back. Topic
 * {@code mfagov.scan-results}, key tenantId.
 *
 * @param mode                   APPLY or ROLLBACK
 * @param kind                   EXCLUDE_LIST or GROUP_MEMBERSHIP
 * @param listName               EXCLUDE_LIST: the list changed; GROUP_MEMBERSHIP: {@code members}
 * @param changedId              the id removed (APPLY) or re-added (ROLLBACK)
 * @param groupId                GROUP_MEMBERSHIP: the group
 * @param before                 the list as read right before the write
 * @param after                  the list as read back after the write
 * @param modifiedBefore         the policy's {@code modifiedDateTime} right before the write
 * @param modifiedAfter          and after it (what a rollback expects)
 * @param usersAfter             the policy's {@code conditions.users} as read back (what a rollback expects)
 * @param unexpectedChanges      JSON paths of the policy that differ from the intended result besides the intended
 *                               change (empty: verified). Non-empty = a concurrent edit raced the write: conflict.
 * @param policyBefore           the whole policy right before the write (kept for a conflict's both versions)
 * @param policyAfter            the whole policy as read back
 * @param graphRequestCount      Graph requests made for this answer, retries included
 */
public record RemediationApplied(
        UUID remediationId,
        UUID requestId,
        String tenantId,
        RemediationMode mode,
        PlanKind kind,
        String policyId,
        String listName,
        String changedId,
        String groupId,
        List<String> before,
        List<String> after,
        String modifiedBefore,
        String modifiedAfter,
        JsonNode usersAfter,
        List<String> unexpectedChanges,
        JsonNode policyBefore,
        JsonNode policyAfter,
        Instant appliedAt,
        Integer graphRequestCount) implements EventPayload {

    public RemediationApplied {
        Require.present(remediationId, "remediationId");
        Require.present(requestId, "requestId");
        Require.guid(tenantId, "tenantId");
        Require.present(mode, "mode");
        Require.present(kind, "kind");
        Require.text(policyId, "policyId");
        Require.text(changedId, "changedId");
        before = before == null ? List.of() : List.copyOf(before);
        after = after == null ? List.of() : List.copyOf(after);
        unexpectedChanges = unexpectedChanges == null ? List.of() : List.copyOf(unexpectedChanges);
        Require.present(appliedAt, "appliedAt");
        Require.notNegative(Require.present(graphRequestCount, "graphRequestCount"), "graphRequestCount");
    }

    /** Whether something besides the intended change differs after the write. */
    public boolean conflict() {
        return !unexpectedChanges.isEmpty();
    }

    @Override
    public String correlationId() {
        return remediationId.toString();
    }
}
