package io.mfagov.register.api;

import io.mfagov.register.entity.Tenant;

import java.time.Instant;

public record TenantView(String tenantId, String displayName, String psaCompanyId, int scanIntervalMinutes,
        String alertRoute, String credentialRef, boolean enabled, boolean discovered, Instant lastScanRequestedAt,
        Instant lastScanFinishedAt, String lastScanStatus, int failureStreak, Instant createdAt, String createdBy,
        Instant updatedAt, String updatedBy) {

    public static TenantView of(Tenant t) {
        return new TenantView(t.tenantId, t.displayName, t.psaCompanyId, t.scanIntervalMinutes, t.alertRoute,
                t.credentialRef, t.enabled, t.discovered, t.lastScanRequestedAt, t.lastScanFinishedAt,
                t.lastScanStatus, t.failureStreak, t.createdAt, t.createdBy, t.updatedAt, t.updatedBy);
    }
}
