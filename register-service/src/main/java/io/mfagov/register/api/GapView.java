package io.mfagov.register.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A user's MFA gap of one kind, as the tenant's latest scan with gap signals reported it (MfaGapDetected). */
public record GapView(String userId, String userPrincipalName, String displayName, String userType, Boolean privileged,
        String kind, Integer count, Instant firstSeen, Instant lastSeen, List<String> apps, List<String> clientApps,
        List<String> locations, List<String> ipAddresses, String defaultMethod, List<String> methodsRegistered,
        String perUserMfaState, String detail,
        @Schema(description = "The account is on the tenant's list of shared, room and resource mailboxes")
        boolean sharedMailbox) {

    /**
     * The gaps of a tenant's latest scan that sent gap signals (posture, gaps or usage). Gaps of listed shared
     * mailboxes are reported apart ({@code sharedMailboxGaps}, {@code sharedMailboxCounts}) and are in {@code items}
     * and {@code counts} only with {@code includeSharedMailboxes=true}.
     */
    public record TenantGaps(String tenantId, UUID scanId, Instant observedAt, boolean includeSharedMailboxes,
            @Schema(description = "Gaps by kind (of the kind asked for, if any)") Map<String, Long> counts,
            @Schema(description = "Gaps of listed shared mailboxes by kind") Map<String, Long> sharedMailboxCounts,
            List<GapView> items, List<GapView> sharedMailboxGaps) {
    }
}
