package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The end of a discovery, after its {@link CustomerDiscovered} events. Topic {@code mfagov.scan-results}, key = the
 * partner tenant id. Only a COMPLETE discovery lists every customer: the register treats a customer missing from a
 * COMPLETE discovery as no longer related, and ignores absences after PARTIAL or FAILED.
 *
 * @param discoveryId       the discovery run
 * @param requestId         the request it answers (null when not asked over Kafka)
 * @param tenantId          the partner tenant
 * @param status            COMPLETE only if contracts and relationships were read in full
 * @param customerCount     how many {@link CustomerDiscovered} it published
 * @param graphRequestCount Graph requests made (partner reads and each customer's organization read), retries included
 * @param error             why PARTIAL or FAILED (never a secret)
 * @param failedReads       which reads failed
 * @param accessStatus      the app's access to the partner tenant itself
 * @param missingPermissions permissions the app lacks in the partner tenant for discovery
 */
public record DiscoveryCompleted(
        UUID discoveryId,
        UUID requestId,
        String tenantId,
        ScanStatus status,
        Instant startedAt,
        Instant finishedAt,
        Integer customerCount,
        Integer graphRequestCount,
        String error,
        List<String> failedReads,
        AccessStatus accessStatus,
        List<String> missingPermissions) implements EventPayload {

    public DiscoveryCompleted {
        Require.present(discoveryId, "discoveryId");
        Require.guid(tenantId, "tenantId");
        Require.present(status, "status");
        Require.present(startedAt, "startedAt");
        Require.present(finishedAt, "finishedAt");
        Require.notNegative(Require.present(customerCount, "customerCount"), "customerCount");
        Require.notNegative(Require.present(graphRequestCount, "graphRequestCount"), "graphRequestCount");
        failedReads = failedReads == null ? List.of() : List.copyOf(failedReads);
        missingPermissions = missingPermissions == null ? List.of() : List.copyOf(missingPermissions);
        if (status != ScanStatus.COMPLETE) {
            Require.text(error, "error");
        }
    }

    @Override
    public String correlationId() {
        return discoveryId.toString();
    }
}
