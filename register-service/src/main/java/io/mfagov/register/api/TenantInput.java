package io.mfagov.register.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tenant as created (POST) or replaced (PUT). Unknown fields are refused. */
@Schema(name = "TenantInput")
public record TenantInput(
        @Schema(description = "Entra tenant id (GUID); on PUT it must equal the path id or be left out") String tenantId,
        @Schema(description = "Display name", maxLength = 256) String displayName,
        @Schema(description = "The client's company id in the PSA", maxLength = 128) String psaCompanyId,
        @Schema(description = "Minutes between scans; default 1440 (24 h), at least 15") Integer scanIntervalMinutes,
        @Schema(description = "Alert routing reference the notifier resolves (e.g. a Teams channel or PSA board name)", maxLength = 256) String alertRoute,
        @Schema(description = "Name of the credential set the scanner uses (never a secret)", maxLength = 128) String credentialRef,
        @Schema(description = "Whether scheduled scans run; default true") Boolean enabled,
        @Schema(description = "Remediation opt-in: the register may plan removals of expired or retired exclusions"
                + " (each applied only after approval); default false; on PUT, left out = unchanged") Boolean enforcementEnabled,
        @Schema(description = "Expiry removals are approved by the register itself (actor lifecycle); default false;"
                + " on PUT, left out = unchanged") Boolean autoApplyExpiry,
        @Schema(description = "A principal excluded through a cloud-only assigned security group may be removed from"
                + " that group (needs GroupMember.ReadWrite.All); default false; on PUT, left out = unchanged")
        Boolean groupMembershipRemoval,
        @Schema(description = "Days after an exception's expiry before its exclusions are planned for removal;"
                + " default 7, 0 to 365; on PUT, left out = unchanged") Integer enforcementGraceDays) {
}
