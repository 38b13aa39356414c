package io.mfagov.scanner.service;

import io.mfagov.model.events.MissingSignal;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.service.CoverageCalculator.Coverage;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one tenant's scan, before it becomes events or report rows.
 *
 * @param coverage the tenant's effective coverage; null when the policies could not be read (FAILED)
 * @param notes    what the scan could not read without that making it PARTIAL (e.g. PIM not licensed)
 * @param gaps     users' MFA gaps (registration), in the directory's order
 * @param missingSignals gap signals Graph refused (licence or permission); the scan stays COMPLETE
 * @param posture  the gap counts; null when the policies could not be read
 * @param usage    the evidence of use of each excluded user, service principal and application in the sign-in window;
 *                 empty when the sign-ins were not (completely) read
 * @param access   the access check made before any read (token, roles); null for scans built without one
 */
public record TenantScan(
        String tenantId,
        ScanStatus status,
        List<Detection> detections,
        int graphRequestCount,
        String error,
        List<String> failedReads,
        Integer policiesEvaluated,
        Instant startedAt,
        Instant finishedAt,
        Coverage coverage,
        List<String> notes,
        List<Gap> gaps,
        List<MissingSignal> missingSignals,
        Posture posture,
        List<PrincipalUsage> usage,
        io.mfagov.scanner.graph.AccessCheck access) {

    /**
     * What the scan read of registration, sign-ins and per-user MFA: null fields are signals not read.
     *
     * @param notRegistered enabled users not MFA-registered; null when registration was not read
     * @param notCapable    registered but not MFA-capable; null when registration was not read
     */
    public record Posture(Integer notRegistered, Integer notCapable, Integer signInWindowDays, Instant windowStart,
                          Instant windowEnd, Integer singleFactorUsers, Integer perUserMfaOnly, Long signInsRead,
                          Long singleFactorSignIns) {

        public Posture(Integer notRegistered, Integer notCapable) {
            this(notRegistered, notCapable, null, null, null, null, null, null, null);
        }
    }

    public TenantScan {
        detections = List.copyOf(detections);
        failedReads = List.copyOf(failedReads);
        notes = notes == null ? List.of() : List.copyOf(notes);
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
        missingSignals = missingSignals == null ? List.of() : List.copyOf(missingSignals);
        usage = usage == null ? List.of() : List.copyOf(usage);
    }

    public TenantScan(String tenantId, ScanStatus status, List<Detection> detections, int graphRequestCount,
                      String error, List<String> failedReads, Integer policiesEvaluated, Instant startedAt,
                      Instant finishedAt, Coverage coverage, List<String> notes, List<Gap> gaps,
                      List<MissingSignal> missingSignals, Posture posture, List<PrincipalUsage> usage) {
        this(tenantId, status, detections, graphRequestCount, error, failedReads, policiesEvaluated, startedAt,
                finishedAt, coverage, notes, gaps, missingSignals, posture, usage, null);
    }

    /** The same scan with its access check. */
    public TenantScan withAccess(io.mfagov.scanner.graph.AccessCheck check) {
        return new TenantScan(tenantId, status, detections, graphRequestCount, error, failedReads, policiesEvaluated,
                startedAt, finishedAt, coverage, notes, gaps, missingSignals, posture, usage, check);
    }

    public TenantScan(String tenantId, ScanStatus status, List<Detection> detections, int graphRequestCount,
                      String error, List<String> failedReads, Integer policiesEvaluated, Instant startedAt,
                      Instant finishedAt, Coverage coverage, List<String> notes) {
        this(tenantId, status, detections, graphRequestCount, error, failedReads, policiesEvaluated, startedAt,
                finishedAt, coverage, notes, List.of(), List.of(), null, List.of());
    }

    public TenantScan(String tenantId, ScanStatus status, List<Detection> detections, int graphRequestCount,
                      String error, List<String> failedReads, Integer policiesEvaluated, Instant startedAt,
                      Instant finishedAt) {
        this(tenantId, status, detections, graphRequestCount, error, failedReads, policiesEvaluated, startedAt,
                finishedAt, null, List.of());
    }
}
