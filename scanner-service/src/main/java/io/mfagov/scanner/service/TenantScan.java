package io.mfagov.scanner.service;

import io.mfagov.model.events.ScanStatus;

import java.time.Instant;
import java.util.List;

/** The outcome of one tenant's scan, before it becomes events or report rows. */
public record TenantScan(
        String tenantId,
        ScanStatus status,
        List<Detection> detections,
        int graphRequestCount,
        String error,
        List<String> failedReads,
        Integer policiesEvaluated,
        Instant startedAt,
        Instant finishedAt) {

    public TenantScan {
        detections = List.copyOf(detections);
        failedReads = List.copyOf(failedReads);
    }
}
