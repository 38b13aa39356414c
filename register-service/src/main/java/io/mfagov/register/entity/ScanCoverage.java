package io.mfagov.register.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's effective MFA coverage as one scan found it (CoverageObserved); its uncovered users are
 * {@link UncoveredUserEntry} rows. Written by {@code repository.CoverageRows}, read through JPQL.
 */
@Entity
@Table(name = "coverage")
public class ScanCoverage {

    @Id
    public UUID scanId;
    public String tenantId;
    public Boolean securityDefaultsEnabled;
    public int enabledMfaPolicies;
    public int reportOnlyMfaPolicies;
    public Boolean allUsersCovered;
    public Integer enabledUsers;
    public int uncoveredUserCount;
    public boolean truncated;
    /** CoverageFinding names, comma separated ('' when none). */
    public String findings;
    public Instant observedAt;
    public Instant receivedAt;

    /** {@link #findings} as a list. */
    public List<String> findingList() {
        return findingsOf(findings);
    }

    public static List<String> findingsOf(String findings) {
        return findings == null || findings.isBlank() ? List.of()
                : Arrays.stream(findings.split(",")).filter(f -> !f.isBlank()).toList();
    }
}
