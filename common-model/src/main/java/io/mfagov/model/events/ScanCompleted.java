package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The end of one tenant's scan. Topic {@code mfagov.scan-results}, after the scan's detections.
 *
 * @param scanId                 the scan
 * @param requestId              the {@link ScanRequested#requestId()} it answers (null for scans not asked over Kafka)
 * @param status                 COMPLETE only if every read succeeded
 * @param detectionCount         how many {@link ExclusionDetected} this scan published
 * @param graphRequestCount      Graph HTTP requests made, retries included
 * @param error                  why PARTIAL or FAILED (never a secret)
 * @param failedReads            which reads failed, for PARTIAL
 * @param policiesEvaluated      MFA-requiring policies that are enabled or report-only
 * @param securityDefaultsEnabled whether the tenant relies on security defaults (null when not read)
 * @param notes                  what the scan could not read without that making it PARTIAL, e.g. PIM reads on a
 *                               tenant without the licence or permission for them
 * @param accessStatus           the access check made before any read (token request, roles claim); null from
 *                               producers before it existed
 * @param consentUrl             the admin-consent URL of this tenant for the app of the scan's credential set (a
 *                               Privileged Role Administrator or Global Administrator of the tenant opens it)
 * @param missingPermissions     application permissions the scan uses that the tenant's token lacks
 * @param disabledReads          the reads skipped because of {@code missingPermissions}
 * @param missingWritePermissions application permissions the lifecycle's removals need that the token lacks
 * @param grantedPermissions     the application permissions the token carries (its {@code roles} claim; not secret)
 */
public record ScanCompleted(
        UUID scanId,
        UUID requestId,
        String tenantId,
        ScanStatus status,
        Instant startedAt,
        Instant finishedAt,
        Integer detectionCount,
        Integer graphRequestCount,
        String error,
        List<String> failedReads,
        Integer policiesEvaluated,
        Boolean securityDefaultsEnabled,
        List<String> notes,
        AccessStatus accessStatus,
        String consentUrl,
        List<String> missingPermissions,
        List<String> disabledReads,
        List<String> missingWritePermissions,
        List<String> grantedPermissions) implements EventPayload {

    public ScanCompleted(UUID scanId, UUID requestId, String tenantId, ScanStatus status, Instant startedAt,
            Instant finishedAt, Integer detectionCount, Integer graphRequestCount, String error, List<String> failedReads,
            Integer policiesEvaluated, Boolean securityDefaultsEnabled) {
        this(scanId, requestId, tenantId, status, startedAt, finishedAt, detectionCount, graphRequestCount, error,
                failedReads, policiesEvaluated, securityDefaultsEnabled, null);
    }

    public ScanCompleted(UUID scanId, UUID requestId, String tenantId, ScanStatus status, Instant startedAt,
            Instant finishedAt, Integer detectionCount, Integer graphRequestCount, String error, List<String> failedReads,
            Integer policiesEvaluated, Boolean securityDefaultsEnabled, List<String> notes) {
        this(scanId, requestId, tenantId, status, startedAt, finishedAt, detectionCount, graphRequestCount, error,
                failedReads, policiesEvaluated, securityDefaultsEnabled, notes, null, null, null, null, null, null);
    }

    public ScanCompleted {
        Require.present(scanId, "scanId");
        Require.guid(tenantId, "tenantId");
        Require.present(status, "status");
        Require.present(startedAt, "startedAt");
        Require.present(finishedAt, "finishedAt");
        Require.notNegative(Require.present(detectionCount, "detectionCount"), "detectionCount");
        Require.notNegative(Require.present(graphRequestCount, "graphRequestCount"), "graphRequestCount");
        failedReads = failedReads == null ? List.of() : List.copyOf(failedReads);
        notes = notes == null ? List.of() : List.copyOf(notes);
        missingPermissions = missingPermissions == null ? List.of() : List.copyOf(missingPermissions);
        disabledReads = disabledReads == null ? List.of() : List.copyOf(disabledReads);
        missingWritePermissions = missingWritePermissions == null ? List.of() : List.copyOf(missingWritePermissions);
        grantedPermissions = grantedPermissions == null ? List.of() : List.copyOf(grantedPermissions);
        if (status != ScanStatus.COMPLETE) {
            Require.text(error, "error");
        }
    }

    @Override
    public String correlationId() {
        return scanId.toString();
    }
}
