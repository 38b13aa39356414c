package io.mfagov.register.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user's MFA gap of one kind, as the tenant's latest scan with gap signals reported it (MfaGapDetected). */
public record GapView(String userId, String userPrincipalName, String displayName, String userType, Boolean privileged,
        String kind, Integer count, Instant firstSeen, Instant lastSeen, List<String> apps, List<String> clientApps,
        List<String> locations, List<String> ipAddresses, String defaultMethod, List<String> methodsRegistered,
        String perUserMfaState, String detail) {

    /** The gaps of a tenant's latest scan that sent gap signals (posture or gaps). */
    public record TenantGaps(String tenantId, UUID scanId, Instant observedAt, List<GapView> items) {
    }
}
