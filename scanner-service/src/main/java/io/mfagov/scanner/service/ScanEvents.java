package io.mfagov.scanner.service;

import io.mfagov.model.events.CoverageFinding;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.scanner.service.CoverageCalculator.Coverage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A scan's outcome as the events of {@code mfagov.scan-results}. */
public final class ScanEvents {

    private ScanEvents() {
    }

    /** The scan's end, with its access check (UNCHECKED when there was none: static tokens). */
    public static io.mfagov.model.events.ScanCompleted completed(UUID scanId, UUID requestId, String tenantId,
                                                                 TenantScan scan) {
        io.mfagov.scanner.graph.AccessCheck a = scan.access() == null
                ? io.mfagov.scanner.graph.AccessCheck.unchecked() : scan.access();
        return new io.mfagov.model.events.ScanCompleted(scanId, requestId, tenantId, scan.status(), scan.startedAt(),
                scan.finishedAt(), scan.detections().size(), scan.graphRequestCount(), scan.error(), scan.failedReads(),
                scan.policiesEvaluated(), scan.coverage() == null ? null : scan.coverage().securityDefaultsEnabled(),
                scan.notes(), a.status(), a.consentUrl(), a.missingPermissions(), a.disabledReads(),
                a.missingWritePermissions(), a.granted());
    }

    public static ExclusionDetected detected(UUID scanId, String tenantId, Detection d, Instant observedAt) {
        return new ExclusionDetected(scanId, tenantId, d.policy(), d.principal(), d.via(), observedAt, d.inScope(),
                d.policyTarget(), d.eligible(), d.shadowed(), d.closedBy(), d.details(), d.flags());
    }

    /** The coverage event: at most {@link CoverageObserved#MAX_LISTED} uncovered users listed, the count always. */
    public static CoverageObserved coverage(UUID scanId, String tenantId, Coverage c, Instant observedAt) {
        int count = c.uncovered().size();
        boolean truncated = count > CoverageObserved.MAX_LISTED;
        // privileged users first: a list cut at the limit never loses an admin (their alert depends on it)
        List<io.mfagov.model.events.UncoveredUser> listed = truncated ? c.uncovered().stream()
                .sorted(java.util.Comparator.comparing((io.mfagov.model.events.UncoveredUser u) -> !Boolean.TRUE.equals(u.privileged())))
                .limit(CoverageObserved.MAX_LISTED).toList() : c.uncovered();
        return new CoverageObserved(scanId, tenantId, c.securityDefaultsEnabled(), c.enabledMfaPolicies(),
                c.reportOnlyMfaPolicies(), c.allUsersCovered(), c.enabledUsers(), count, listed, truncated,
                c.noMfaEnforcement() ? List.of(CoverageFinding.NO_MFA_ENFORCEMENT) : List.of(), observedAt);
    }

    public static io.mfagov.model.events.MfaGapDetected gap(UUID scanId, String tenantId, Gap g, Instant observedAt) {
        return new io.mfagov.model.events.MfaGapDetected(scanId, tenantId, g.kind(), g.userId(), g.userPrincipalName(),
                g.displayName(), g.userType(), g.privileged(), g.count(), g.firstSeen(), g.lastSeen(), g.apps(),
                g.clientApps(), g.locations(), g.ipAddresses(), g.defaultMethod(), g.methodsRegistered(),
                g.perUserMfaState(), g.detail(), observedAt);
    }

    /** The posture event; a signal's fields stay null when it was not read. */
    public static io.mfagov.model.events.TenantPostureObserved posture(UUID scanId, String tenantId, TenantScan scan,
                                                                       Instant observedAt) {
        TenantScan.Posture p = scan.posture() == null ? new TenantScan.Posture(null, null) : scan.posture();
        return new io.mfagov.model.events.TenantPostureObserved(scanId, tenantId, p.signInWindowDays(), p.windowStart(),
                p.windowEnd(), p.notRegistered(), p.notCapable(), p.singleFactorUsers(), p.perUserMfaOnly(),
                p.signInsRead(), p.singleFactorSignIns(), scan.missingSignals(), observedAt);
    }

    /** The evidence of use of one excluded principal. */
    public static io.mfagov.model.events.ExclusionUsageObserved usage(UUID scanId, String tenantId,
                                                                      PrincipalUsage u, Instant observedAt) {
        return new io.mfagov.model.events.ExclusionUsageObserved(scanId, tenantId, u.type(), u.principalId(),
                u.windowDays(), u.lastSignIn(), u.lastSingleFactorSignIn(), u.signIns(), u.singleFactorSignIns(),
                observedAt);
    }
}
