package io.mfagov.register.api;

import io.mfagov.register.entity.Exclusion;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record ExclusionView(UUID id, String tenantId, String policyId, String policyName, String policyState,
        String principalType, String principalId, String principalUpn, String principalDisplayName,
        String principalUserType, Boolean accountEnabled, boolean resolved, String viaKind, String viaId,
        String viaDisplayName, String path, String status, UUID exceptionId, String category, Instant expiresAt,
        Instant firstSeenAt, Instant lastSeenAt, UUID lastScanId, Instant removedAt, List<AuditEventView> history) {

    public static ExclusionView of(Exclusion e, List<AuditEventView> history) {
        return new ExclusionView(e.id, e.tenantId, e.policyId, e.policyName, e.policyState, e.principalType,
                e.principalId, e.principalUpn, e.principalDisplayName, e.principalUserType, e.accountEnabled,
                e.resolved, e.viaKind, e.viaId, e.viaDisplayName, e.viaPath, e.status, e.exceptionId, e.category,
                e.expiresAt, e.firstSeenAt, e.lastSeenAt, e.lastScanId, e.removedAt, history);
    }

    /** A page of a list: the items and the cursor of the next page (null on the last). */
    public record Page<T>(List<T> items, String nextCursor) {
    }
}
