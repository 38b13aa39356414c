package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * One principal excluded from one MFA-requiring policy through one path, seen by one scan.
 * Topic {@code mfagov.scan-results}, key tenantId; the scan's {@link ScanCompleted} follows its detections.
 */
public record ExclusionDetected(
        UUID scanId,
        String tenantId,
        PolicyRef policy,
        Principal principal,
        Via via,
        Instant observedAt) implements EventPayload {

    public ExclusionDetected {
        Require.present(scanId, "scanId");
        Require.guid(tenantId, "tenantId");
        Require.present(policy, "policy");
        Require.present(principal, "principal");
        Require.present(via, "via");
        Require.present(observedAt, "observedAt");
    }

    @Override
    public String correlationId() {
        return scanId.toString();
    }

    /** Identity of the exclusion within its tenant: (policy, principal, path). Stable across scans. */
    @JsonIgnore
    public String exclusionKey() {
        return policy.id() + "|" + principal.type().name() + ":" + principal.id() + "|" + via.pathKey();
    }
}
