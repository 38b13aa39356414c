package io.mfagov.register.api;

import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.repository.GapSignalReads;
import io.mfagov.register.service.ExclusionRisk;
import io.mfagov.register.service.RiskScore;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An exclusion as the API shows it. The whole-policy facts (from {@code mfaRequirement} on) are null for exclusions
 * last detected by a scanner that did not send them.
 */
public record ExclusionView(UUID id, String tenantId, String policyId, String policyName, String policyState,
        String principalType, String principalId, String principalUpn, String principalDisplayName,
        String principalUserType, Boolean accountEnabled, boolean resolved, String viaKind, String viaId,
        String viaDisplayName, String path, String status, UUID exceptionId, String category, Instant expiresAt,
        Instant firstSeenAt, Instant lastSeenAt, UUID lastScanId, Instant removedAt,
        @Schema(description = "BUILT_IN_MFA, AUTH_STRENGTH, CUSTOM_CONTROL, BLOCK") String mfaRequirement,
        @Schema(description = "For CUSTOM_CONTROL: the custom control's name or id") String policyCustomControl,
        @Schema(description = "false: the policy does not target the principal anyway, the exclusion opens nothing"
                + " (cleanup material, no alert); null for holes of the policy itself or when undecided") Boolean inScope,
        @Schema(description = "allApps, apps:<ids>, userAction:<action>, authContext:<id>") String policyTarget,
        @Schema(description = "Reached through a PIM-eligible (not active) role assignment or group membership") Boolean eligible,
        @Schema(description = "Another enabled MFA policy for all cloud apps, with no hole, still requires MFA of the"
                + " principal (its alert is one step less severe)") Boolean shadowed,
        @Schema(description = "An enabled policy that closes this hole (no alert)") ClosedBy closedBy,
        @Schema(description = "Facts about a hole: IP ranges, countries, the device filter rule, risk levels left out")
        Map<String, String> details,
        @Schema(description = "unknownValue:<field>=<value>, userChangeableProperty, legacyMfaTrustedIps, customControlNotMfa, ...")
        List<String> flags,
        @Schema(description = "0-100, docs/risk-score.md; 0 for an exclusion that opens nothing") int riskScore,
        @Schema(description = "The factors that gave the score, with their points") List<RiskScore.Points> riskFactors,
        @Schema(description = "Last successful sign-in of the principal in the latest scan's window (null: none, or"
                + " sign-ins not read)") Instant lastSignIn,
        @Schema(description = "Successful sign-ins in the latest scan's window (null: not read)") Integer signIns,
        @Schema(description = "Successful single-factor sign-ins in the latest scan's window (null: not read)")
        Integer singleFactorSignIns,
        List<AuditEventView> history,
        @Schema(description = "For a user, service principal or application: whether it is used (sign-ins across the"
                + " register's scans); null for other principals") UsageView usage) {

    /** The enabled policy that closes a hole. */
    @Schema(name = "ClosingPolicy")
    public record ClosedBy(String id, String displayName) {
    }

    public static ExclusionView of(Exclusion e, ExclusionRisk.Assessment a, List<AuditEventView> history) {
        return of(e, a, history, null);
    }

    public static ExclusionView of(Exclusion e, ExclusionRisk.Assessment a, List<AuditEventView> history,
                                   UsageView usage) {
        GapSignalReads.Usage u = a.usage();
        return new ExclusionView(e.id, e.tenantId, e.policyId, e.policyName, e.policyState, e.principalType,
                e.principalId, e.principalUpn, e.principalDisplayName, e.principalUserType, e.accountEnabled,
                e.resolved, e.viaKind, e.viaId, e.viaDisplayName, e.viaPath, e.status, e.exceptionId, e.category,
                e.expiresAt, e.firstSeenAt, e.lastSeenAt, e.lastScanId, e.removedAt, e.mfaRequirement,
                e.policyCustomControl, e.inScope, e.policyTarget, e.eligible, e.shadowed,
                e.closedById == null ? null : new ClosedBy(e.closedById, e.closedByName), e.detailsMap(), e.flagList(),
                a.risk().score(), a.risk().factors(), u == null ? null : u.lastSignIn(),
                u == null ? null : u.signIns(), u == null ? null : u.singleFactorSignIns(), history, usage);
    }

    /** A page of a list: the items and the cursor of the next page (null on the last). */
    public record Page<T>(List<T> items, String nextCursor) {
    }
}
