package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a scan found about a tenant's effective MFA coverage. Topic {@code mfagov.scan-results}, key tenantId: after
 * the scan's {@link ExclusionDetected} events, before its {@link ScanCompleted}.
 *
 * @param securityDefaultsEnabled  whether security defaults are on (null when they could not be read)
 * @param enabledMfaPolicies       enabled policies that require MFA
 * @param reportOnlyMfaPolicies    report-only policies that would require MFA (they enforce nothing)
 * @param allUsersCovered          whether every enabled user is covered by an enabled MFA policy for all cloud apps
 *                                 with no hole that includes and does not exclude them (null when undecided)
 * @param enabledUsers             enabled users the scan counted (null when it did not need to list them)
 * @param uncoveredUserCount       how many enabled users are uncovered (may exceed the list, see {@code truncated})
 * @param uncoveredUsers           the uncovered enabled users with the reason, at most {@link #MAX_LISTED}
 * @param truncated                true when {@code uncoveredUsers} lists fewer than {@code uncoveredUserCount}
 * @param findings                 tenant-wide findings, e.g. {@link CoverageFinding#NO_MFA_ENFORCEMENT}
 */
public record CoverageObserved(
        UUID scanId,
        String tenantId,
        Boolean securityDefaultsEnabled,
        Integer enabledMfaPolicies,
        Integer reportOnlyMfaPolicies,
        Boolean allUsersCovered,
        Integer enabledUsers,
        Integer uncoveredUserCount,
        List<UncoveredUser> uncoveredUsers,
        Boolean truncated,
        List<CoverageFinding> findings,
        Instant observedAt) implements EventPayload {

    /** The most uncovered users one event lists: the record stays well under Kafka's 1 MB default. */
    public static final int MAX_LISTED = 2000;

    public CoverageObserved {
        Require.present(scanId, "scanId");
        Require.guid(tenantId, "tenantId");
        Require.notNegative(Require.present(enabledMfaPolicies, "enabledMfaPolicies"), "enabledMfaPolicies");
        Require.notNegative(Require.present(reportOnlyMfaPolicies, "reportOnlyMfaPolicies"), "reportOnlyMfaPolicies");
        Require.notNegative(Require.present(uncoveredUserCount, "uncoveredUserCount"), "uncoveredUserCount");
        Require.present(observedAt, "observedAt");
        uncoveredUsers = uncoveredUsers == null ? List.of() : List.copyOf(uncoveredUsers);
        findings = findings == null ? List.of() : List.copyOf(findings);
        truncated = Boolean.TRUE.equals(truncated);
        if (uncoveredUsers.size() > MAX_LISTED) {
            throw new io.mfagov.model.InvalidEventException("uncoveredUsers: at most " + MAX_LISTED + " listed");
        }
    }

    @Override
    public String correlationId() {
        return scanId.toString();
    }
}
