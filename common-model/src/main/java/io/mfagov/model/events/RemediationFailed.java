package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A remediation request that was not carried out; nothing was written to the tenant. Topic
 * {@code mfagov.scan-results}, key tenantId.
 *
 * @param mode               the mode of the request
 * @param reason             why
 * @param message            Graph's answer or the rule that refused it (never a secret)
 * @param missingPermissions ENFORCEMENT_NOT_PERMITTED: the application permissions to grant in that tenant
 * @param graphRequestCount  Graph requests made for this answer, retries included
 */
public record RemediationFailed(
        UUID remediationId,
        UUID requestId,
        String tenantId,
        RemediationMode mode,
        RemediationFailure reason,
        String message,
        List<String> missingPermissions,
        Instant failedAt,
        Integer graphRequestCount) implements EventPayload {

    public RemediationFailed {
        Require.present(remediationId, "remediationId");
        Require.present(requestId, "requestId");
        Require.guid(tenantId, "tenantId");
        Require.present(mode, "mode");
        Require.present(reason, "reason");
        Require.text(message, "message");
        missingPermissions = missingPermissions == null ? List.of() : List.copyOf(missingPermissions);
        Require.present(failedAt, "failedAt");
        Require.notNegative(Require.present(graphRequestCount, "graphRequestCount"), "graphRequestCount");
    }

    @Override
    public String correlationId() {
        return remediationId.toString();
    }
}
