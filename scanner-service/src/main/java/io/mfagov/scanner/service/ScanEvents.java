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

    public static ExclusionDetected detected(UUID scanId, String tenantId, Detection d, Instant observedAt) {
        return new ExclusionDetected(scanId, tenantId, d.policy(), d.principal(), d.via(), observedAt, d.inScope(),
                d.policyTarget(), d.eligible(), d.shadowed(), d.closedBy(), d.details(), d.flags());
    }

    /** The coverage event: at most {@link CoverageObserved#MAX_LISTED} uncovered users listed, the count always. */
    public static CoverageObserved coverage(UUID scanId, String tenantId, Coverage c, Instant observedAt) {
        int count = c.uncovered().size();
        boolean truncated = count > CoverageObserved.MAX_LISTED;
        return new CoverageObserved(scanId, tenantId, c.securityDefaultsEnabled(), c.enabledMfaPolicies(),
                c.reportOnlyMfaPolicies(), c.allUsersCovered(), c.enabledUsers(), count,
                truncated ? c.uncovered().subList(0, CoverageObserved.MAX_LISTED) : c.uncovered(), truncated,
                c.noMfaEnforcement() ? List.of(CoverageFinding.NO_MFA_ENFORCEMENT) : List.of(), observedAt);
    }
}
