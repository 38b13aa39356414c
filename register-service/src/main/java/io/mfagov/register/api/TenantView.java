package io.mfagov.register.api;

import io.mfagov.register.entity.JsonColumns;
import io.mfagov.register.entity.Tenant;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mfagov.model.EventCodec;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.DelegatedRelationship;
import io.mfagov.register.service.OnboardingRules;

import java.time.Instant;
import java.util.List;

/**
 * A tenant. The enforcement settings (remediation, issue 15) are set by an admin through {@link TenantInput};
 * {@code enforcementStatus} is read-only: {@code UNKNOWN} until the scanner answers a remediation request,
 * {@code PERMITTED} after a write, {@code NOT_PERMITTED} when the app lacks the write permission in the tenant
 * ({@code enforcementMissingPermissions} names what to grant; {@code enforcementNote} says so in words).
 * {@code access} and {@code relationship} (issue 16) are read-only too: the scans' access check and the discovery.
 */
public record TenantView(String tenantId, String displayName, String psaCompanyId, int scanIntervalMinutes,
        String alertRoute, String credentialRef, boolean enabled, boolean discovered, Instant lastScanRequestedAt,
        Instant lastScanFinishedAt, String lastScanStatus, int failureStreak, Instant createdAt, String createdBy,
        Instant updatedAt, String updatedBy, boolean enforcementEnabled, boolean autoApplyExpiry,
        boolean groupMembershipRemoval, int enforcementGraceDays, String enforcementStatus,
        List<String> enforcementMissingPermissions, Instant enforcementCheckedAt, String enforcementNote,
        Access access, Relationship relationship) {

    /**
     * The app's access to the tenant as the latest checking scan found it (issue 16); {@code status} null until a scan
     * checked. {@code missingPermissions}: what to grant (read and write); {@code disabledReads}: reads the scans skip
     * for lack of them; {@code action}: what to do, in words.
     */
    public record Access(String status, String reason, String detail, String consentUrl, List<String> missingPermissions,
            List<String> disabledReads, List<String> grantedPermissions, Instant checkedAt, String action) {
    }

    /**
     * What the partner tenant's discovery says about the tenant (issue 16); {@code status} null when no discovery
     * listed it: ACTIVE, EXPIRING, ENDED, PENDING or NONE (a contract only). {@code source}: where the name came from
     * (NameSource); {@code relationships}: the GDAP relationships as last discovered.
     */
    public record Relationship(String status, Instant endsAt, Boolean autoExtends, String source, String defaultDomain,
            String contractType, String partnerTenantId, Instant discoveredAt, Instant lastSeenAt,
            List<DelegatedRelationship> relationships) {
    }

    public static TenantView of(Tenant t) {
        List<String> missing = JsonColumns.strings(t.enforcementMissingPermissions);
        return new TenantView(t.tenantId, t.displayName, t.psaCompanyId, t.scanIntervalMinutes, t.alertRoute,
                t.credentialRef, t.enabled, t.discovered, t.lastScanRequestedAt, t.lastScanFinishedAt,
                t.lastScanStatus, t.failureStreak, t.createdAt, t.createdBy, t.updatedAt, t.updatedBy,
                t.enforcementEnabled, t.autoApplyExpiry, t.groupMembershipRemoval, t.enforcementGraceDays,
                t.enforcementStatus, missing, t.enforcementCheckedAt, note(t.enforcementStatus, missing),
                access(t), relationship(t));
    }

    static Access access(Tenant t) {
        AccessStatus status = t.accessStatus == null ? null : AccessStatus.valueOf(t.accessStatus);
        List<String> toGrant = JsonColumns.strings(t.accessMissingPermissions);
        return new Access(t.accessStatus, OnboardingRules.reason(status), t.accessDetail, t.accessConsentUrl, toGrant,
                JsonColumns.strings(t.accessDisabledReads), JsonColumns.strings(t.accessGrantedPermissions),
                t.accessCheckedAt, OnboardingRules.action(status, t.accessConsentUrl, toGrant));
    }

    static Relationship relationship(Tenant t) {
        return new Relationship(t.relationshipStatus, t.relationshipEndsAt, t.relationshipAutoExtends, t.nameSource,
                t.defaultDomain, t.contractType, t.discoveryPartnerTenantId, t.discoveredAt, t.discoveryLastSeenAt,
                relationships(t.relationships));
    }

    static List<DelegatedRelationship> relationships(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return EventCodec.get().mapper().readValue(json, new TypeReference<List<DelegatedRelationship>>() { });
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    static String note(String status, List<String> missing) {
        if ("NOT_PERMITTED".equals(status)) {
            return "enforcement not permitted" + (missing.isEmpty() ? "" : ": grant " + String.join(", ", missing));
        }
        return "PERMITTED".equals(status) ? "enforcement permitted" : null;
    }
}
