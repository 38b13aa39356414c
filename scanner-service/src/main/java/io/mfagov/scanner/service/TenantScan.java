package io.mfagov.scanner.service;

import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.service.CoverageCalculator.Coverage;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one tenant's scan, before it becomes events or report rows.
 *
 * @param coverage the tenant's effective coverage; null when the policies could not be read (FAILED)
 * @param notes    what the scan could not read without that making it PARTIAL (e.g. PIM not licensed)
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
        List<String> notes) {

    public TenantScan {
        detections = List.copyOf(detections);
        failedReads = List.copyOf(failedReads);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public TenantScan(String tenantId, ScanStatus status, List<Detection> detections, int graphRequestCount,
                      String error, List<String> failedReads, Integer policiesEvaluated, Instant startedAt,
                      Instant finishedAt) {
        this(tenantId, status, detections, graphRequestCount, error, failedReads, policiesEvaluated, startedAt,
                finishedAt, null, List.of());
    }
}
