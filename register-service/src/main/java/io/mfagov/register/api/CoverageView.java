package io.mfagov.register.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's effective MFA coverage from its latest scan that sent one, with that scan's status and Graph request count
 * (from its ScanCompleted, once it has arrived).
 */
@Schema(name = "Coverage")
public record CoverageView(
        String tenantId,
        @Schema(description = "The tenant's displayName in the register (null for a tenant never registered)") String tenantName,
        UUID scanId,
        @Schema(description = "RUNNING until the scan's ScanCompleted arrives, then COMPLETE, PARTIAL or FAILED") String scanStatus,
        @Schema(description = "Graph HTTP requests the scan made (null until it completed)") Integer graphRequestCount,
        @Schema(description = "What the scan could not read without being PARTIAL, e.g. PIM without the licence") List<String> scanNotes,
        @Schema(description = "null: could not be read") Boolean securityDefaultsEnabled,
        int enabledMfaPolicies,
        @Schema(description = "Report-only policies that would require MFA: they enforce nothing") int reportOnlyMfaPolicies,
        @Schema(description = "Every enabled user covered by an enabled, hole-free MFA policy for all cloud apps; null: undecided")
        Boolean allUsersCovered,
        Integer enabledUsers,
        int uncoveredUserCount,
        @Schema(description = "The scan listed fewer uncovered users than uncoveredUserCount (at most 2,000)") boolean truncated,
        @Schema(description = "NO_MFA_ENFORCEMENT: no enabled MFA policy and security defaults off") List<String> findings,
        Instant observedAt,
        @Schema(description = "Only in GET /tenants/{tenantId}/coverage (null in lists): privileged users first")
        List<UncoveredUserView> uncoveredUsers) {

    @Schema(name = "UncoveredUser")
    public record UncoveredUserView(String id, String userPrincipalName, String displayName, String userType,
            @Schema(description = "EXCLUDED_EVERYWHERE, IN_NO_INCLUDE, ONLY_REPORT_ONLY, ONLY_PARTIAL_POLICIES") String reason,
            @Schema(description = "Holds a directory role, active or eligible (null: roles were not read)") Boolean privileged) {
    }
}
