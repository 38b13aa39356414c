package io.mfagov.register.api;

import io.mfagov.register.entity.JsonColumns;
import io.mfagov.register.entity.Tenant;

import java.time.Instant;
import java.util.List;

/**
 * A tenant. The enforcement settings (remediation, issue 15) are set by an admin through {@link TenantInput};
 * {@code enforcementStatus} is read-only: {@code UNKNOWN} until the scanner answers a remediation request,
 * {@code PERMITTED} after a write, {@code NOT_PERMITTED} when the app lacks the write permission in the tenant
 * ({@code enforcementMissingPermissions} names what to grant; {@code enforcementNote} says so in words).
 */
public record TenantView(String tenantId, String displayName, String psaCompanyId, int scanIntervalMinutes,
        String alertRoute, String credentialRef, boolean enabled, boolean discovered, Instant lastScanRequestedAt,
        Instant lastScanFinishedAt, String lastScanStatus, int failureStreak, Instant createdAt, String createdBy,
        Instant updatedAt, String updatedBy, boolean enforcementEnabled, boolean autoApplyExpiry,
        boolean groupMembershipRemoval, int enforcementGraceDays, String enforcementStatus,
        List<String> enforcementMissingPermissions, Instant enforcementCheckedAt, String enforcementNote) {

    public static TenantView of(Tenant t) {
        List<String> missing = JsonColumns.strings(t.enforcementMissingPermissions);
        return new TenantView(t.tenantId, t.displayName, t.psaCompanyId, t.scanIntervalMinutes, t.alertRoute,
                t.credentialRef, t.enabled, t.discovered, t.lastScanRequestedAt, t.lastScanFinishedAt,
                t.lastScanStatus, t.failureStreak, t.createdAt, t.createdBy, t.updatedAt, t.updatedBy,
                t.enforcementEnabled, t.autoApplyExpiry, t.groupMembershipRemoval, t.enforcementGraceDays,
                t.enforcementStatus, missing, t.enforcementCheckedAt, note(t.enforcementStatus, missing));
    }

    static String note(String status, List<String> missing) {
        if ("NOT_PERMITTED".equals(status)) {
            return "enforcement not permitted" + (missing.isEmpty() ? "" : ": grant " + String.join(", ", missing));
        }
        return "PERMITTED".equals(status) ? "enforcement permitted" : null;
    }
}
