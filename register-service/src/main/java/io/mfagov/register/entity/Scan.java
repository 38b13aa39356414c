package io.mfagov.register.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One tenant scan as the register saw it: detections counted as they arrived, then the scanner's summary. */
@Entity
@Table(name = "scan")
public class Scan {

    @Id
    public UUID scanId;
    public UUID requestId;
    public String tenantId;
    /** RUNNING until its ScanCompleted arrives, then COMPLETE, PARTIAL or FAILED. */
    public String status;
    public Instant startedAt;
    public Instant finishedAt;
    public Integer detectionCount;
    public int receivedCount;
    public Integer graphRequestCount;
    @Column(columnDefinition = "text")
    public String error;
    /** SWEPT, COUNT_MISMATCH or NOT_COMPLETE. */
    public String reconciliation;
    public int removedCount;
    public Instant firstReceivedAt;
    public Instant completedAt;
    /** ScanCompleted.notes as a JSON array (null before the scan completed). */
    @Column(columnDefinition = "text")
    public String notes;

    /** A {@code notes} column read back (empty when none or unreadable). */
    public static List<String> notesOf(String json) {
        return JsonColumns.strings(json);
    }
}
