package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * The scanner's plan for a {@link RemediationRequested}: the answer to a PLAN (dry run), or to an APPLY/ROLLBACK that
 * found the tenant changed since its plan ({@code replanReason} set): then nothing was written and the new plan needs
 * approving again. Topic {@code mfagov.scan-results}, key tenantId.
 *
 * @param requestId         the request answered
 * @param mode              the mode of that request
 * @param plan              the plan computed from what was just read
 * @param replanReason      set when an APPLY/ROLLBACK found the policy or membership changed since the approved plan
 * @param graphRequestCount Graph requests made for this answer, retries included
 */
public record RemediationPlanned(
        UUID remediationId,
        UUID requestId,
        String tenantId,
        RemediationMode mode,
        RemediationPlan plan,
        String replanReason,
        Instant plannedAt,
        Integer graphRequestCount) implements EventPayload {

    public RemediationPlanned {
        Require.present(remediationId, "remediationId");
        Require.present(requestId, "requestId");
        Require.guid(tenantId, "tenantId");
        Require.present(mode, "mode");
        Require.present(plan, "plan");
        Require.present(plannedAt, "plannedAt");
        Require.notNegative(Require.present(graphRequestCount, "graphRequestCount"), "graphRequestCount");
    }

    @Override
    public String correlationId() {
        return remediationId.toString();
    }
}
