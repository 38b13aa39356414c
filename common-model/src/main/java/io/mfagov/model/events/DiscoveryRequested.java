package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * Ask the scanner to list the customers of the MSP's own (partner) tenant: its contracts and granular delegated admin
 * (GDAP) relationships. Topic {@code mfagov.scan-requests}, key = the partner tenant id. The scanner answers on
 * {@code mfagov.scan-results} with one {@link CustomerDiscovered} per customer, then {@link DiscoveryCompleted}.
 *
 * @param requestId       unique per request; echoed in the answers
 * @param tenantId        the partner tenant (the MSP's own tenant)
 * @param requestedAt     when
 * @param requestedBy     the actor (user, API key name, or {@code scheduler})
 * @param credentialRef   the credential set for the partner tenant (a name, never a secret); null = the default
 * @param customerCredentialRefs credential set per customer tenant id for the organization read and access check of
 *                        customers already registered with another set; customers not listed use
 *                        {@code credentialRef}
 */
public record DiscoveryRequested(
        UUID requestId,
        String tenantId,
        Instant requestedAt,
        String requestedBy,
        String credentialRef,
        java.util.Map<String, String> customerCredentialRefs) implements EventPayload {

    public DiscoveryRequested {
        Require.present(requestId, "requestId");
        Require.guid(tenantId, "tenantId");
        Require.present(requestedAt, "requestedAt");
        Require.text(requestedBy, "requestedBy");
        customerCredentialRefs = customerCredentialRefs == null ? java.util.Map.of() : java.util.Map.copyOf(customerCredentialRefs);
    }

    @Override
    public String correlationId() {
        return requestId.toString();
    }
}
