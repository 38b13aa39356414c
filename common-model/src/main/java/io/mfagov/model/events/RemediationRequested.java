package io.mfagov.model.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Ask the scanner (which holds the Graph credentials) to plan, apply or roll back the removal of one exclusion from a
 * tenant. Topic {@code mfagov.remediation-requests}, key tenantId. Published by the register through its outbox; the
 * answer ({@link RemediationPlanned}, {@link RemediationApplied}, {@link RemediationFailed}) echoes {@code requestId}.
 *
 * @param remediationId            the register's remediation
 * @param requestId                unique per request; the register acts only on the answer to its latest request
 * @param mode                     PLAN (dry run), APPLY or ROLLBACK
 * @param reason                   why the exclusion goes
 * @param policyId                 the policy the principal is excluded from
 * @param principalType            the excluded principal (user, group, role, service principal)
 * @param principalId              its id
 * @param principalDisplayName     its name, for the steps
 * @param via                      the route as last detected (DIRECT, or the group/role path)
 * @param soleRoute                whether this is the principal's only route out of the policy (a nested group
 *                                 membership is removed only then)
 * @param groupMembershipAllowed   the tenant opted in to removing group memberships
 * @param protectedIds             ids that must stay excluded from every policy (break-glass accounts and the groups
 *                                 and roles through which they are excluded): a change removing one is refused
 * @param plan                     APPLY: the approved plan; ROLLBACK: the plan that was applied
 * @param expectedModifiedDateTime APPLY/ROLLBACK: the policy's {@code modifiedDateTime} the write expects
 * @param expectedUsers            APPLY/ROLLBACK: the {@code conditions.users} object the write expects
 * @param notAfter                 the request is void after this instant (a replayed or late request writes nothing)
 * @param credentialRef            the credential set to use (a name, never a secret); null = the default
 */
public record RemediationRequested(
        UUID remediationId,
        UUID requestId,
        String tenantId,
        RemediationMode mode,
        RemediationReason reason,
        String policyId,
        PrincipalType principalType,
        String principalId,
        String principalDisplayName,
        Via via,
        Boolean soleRoute,
        Boolean groupMembershipAllowed,
        List<String> protectedIds,
        RemediationPlan plan,
        String expectedModifiedDateTime,
        JsonNode expectedUsers,
        Instant requestedAt,
        String requestedBy,
        Instant notAfter,
        String credentialRef) implements EventPayload {

    public RemediationRequested {
        Require.present(remediationId, "remediationId");
        Require.present(requestId, "requestId");
        Require.guid(tenantId, "tenantId");
        Require.present(mode, "mode");
        Require.present(reason, "reason");
        Require.text(policyId, "policyId");
        Require.present(principalType, "principalType");
        Require.text(principalId, "principalId");
        Require.present(via, "via");
        soleRoute = soleRoute == null ? Boolean.TRUE : soleRoute;
        groupMembershipAllowed = groupMembershipAllowed == null ? Boolean.FALSE : groupMembershipAllowed;
        protectedIds = protectedIds == null ? List.of() : List.copyOf(protectedIds);
        Require.present(requestedAt, "requestedAt");
        Require.text(requestedBy, "requestedBy");
        Require.present(notAfter, "notAfter");
        if (mode == RemediationMode.APPLY || mode == RemediationMode.ROLLBACK) {
            Require.present(plan, "plan");
        }
    }

    @Override
    public String correlationId() {
        return remediationId.toString();
    }
}
