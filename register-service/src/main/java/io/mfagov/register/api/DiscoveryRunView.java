package io.mfagov.register.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One discovery of the partner tenant's customers (issue 16). {@code status}: REQUESTED (sent, no answer yet), RUNNING
 * (customers arriving), then the scanner's COMPLETE, PARTIAL or FAILED. {@code customers}: CustomerDiscovered
 * received; {@code newTenants}: registered by it; {@code ended}: RELATIONSHIP_ENDED raised by it. {@code accessStatus}
 * and {@code missingPermissions}: the app's access to the partner tenant itself.
 */
public record DiscoveryRunView(UUID requestId, UUID discoveryId, String partnerTenantId, Instant requestedAt,
        String requestedBy, Instant completedAt, String status, int customers, int newTenants, int ended,
        String accessStatus, List<String> missingPermissions, String error) {
}
