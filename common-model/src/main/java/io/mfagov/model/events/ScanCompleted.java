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
        List<String> notes) implements EventPayload {

    public ScanCompleted(UUID scanId, UUID requestId, String tenantId, ScanStatus status, Instant startedAt,
            Instant finishedAt, Integer detectionCount, Integer graphRequestCount, String error, List<String> failedReads,
            Integer policiesEvaluated, Boolean securityDefaultsEnabled) {
        this(scanId, requestId, tenantId, status, startedAt, finishedAt, detectionCount, graphRequestCount, error,
                failedReads, policiesEvaluated, securityDefaultsEnabled, null);
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
        if (status != ScanStatus.COMPLETE) {
            Require.text(error, "error");
        }
    }

    @Override
    public String correlationId() {
        return scanId.toString();
    }
}
