package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * Ask the scanner to scan one tenant. Topic {@code mfagov.scan-requests}, key tenantId.
 *
 * @param requestId     unique per request; the scanner echoes it in {@link ScanCompleted#requestId()}
 * @param tenantId      Entra tenant id (GUID)
 * @param tenantName    display name, for logs and progress
 * @param reason        why
 * @param requestedAt   when
 * @param requestedBy   the actor (user, API key name, or {@code scheduler})
 * @param credentialRef the name of the credential set to use; a name, never a secret. Null = the default.
 */
public record ScanRequested(
        UUID requestId,
        String tenantId,
        String tenantName,
        ScanReason reason,
        Instant requestedAt,
        String requestedBy,
        String credentialRef) implements EventPayload {

    public ScanRequested {
        Require.present(requestId, "requestId");
        Require.guid(tenantId, "tenantId");
        Require.present(reason, "reason");
        Require.present(requestedAt, "requestedAt");
        Require.text(requestedBy, "requestedBy");
    }

    @Override
    public String correlationId() {
        return requestId.toString();
    }
}
