package io.mfagov.register.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The removal of one exclusion from its tenant (issue 15): planned by the register, planned in detail (dry run) and
 * written by the scanner, approved by a person other than its requester, confirmed by the next complete scan.
 */
@Entity
@Table(name = "remediation")
public class Remediation {

    /** Where a remediation stands. */
    public enum Status {
        /** The register asked the scanner for a plan (dry run); no answer yet. */
        PLANNING,
        /** The scanner's plan waits for an approver. */
        PLANNED,
        /** Nothing safe to write: a person follows the plan's steps; the next scan without the exclusion confirms it. */
        MANUAL,
        /** Approved: the scanner was asked to write it. */
        APPLYING,
        /** Written and verified by the scanner; the next complete scan confirms it. */
        APPLIED,
        /** A complete scan no longer detects the exclusion. */
        CONFIRMED,
        /** The scanner refused or could not carry it out; nothing was written. */
        FAILED,
        /** An approver rejected the plan. */
        REJECTED,
        /** The principal was no longer excluded through that route. */
        NOT_NEEDED,
        /** A rollback of an applied removal waits for an approver. */
        ROLLBACK_PLANNED,
        /** Its rollback was approved: the scanner was asked to write it. */
        ROLLING_BACK,
        /** What the removal took out was put back. */
        ROLLED_BACK;

        /** The statuses of a remediation still under way (at most one per exclusion: the partial unique index). */
        public static final Set<Status> OPEN = EnumSet.of(PLANNING, PLANNED, MANUAL, APPLYING, APPLIED, ROLLBACK_PLANNED,
                ROLLING_BACK);
    }

    @Id
    public UUID id;
    public String tenantId;
    public UUID exclusionId;
    public String exclusionKey;
    public UUID exceptionId;
    public String policyId;
    public String policyName;
    public String principalType;
    public String principalId;
    public String principalName;
    public String viaKind;
    public String viaPath;
    public String reason;
    public String status;
    @Column(columnDefinition = "text")
    public String plan;
    public String planKind;
    public UUID pendingRequestId;
    public String requestedBy;
    public Instant requestedAt;
    public String approvedBy;
    public Instant approvedAt;
    public String rollbackRequestedBy;
    public Instant rollbackRequestedAt;
    public String rollbackApprovedBy;
    public Instant rollbackApprovedAt;
    public String listName;
    @Column(columnDefinition = "text")
    public String beforeIds;
    @Column(columnDefinition = "text")
    public String afterIds;
    public String modifiedBefore;
    public String modifiedAfter;
    @Column(columnDefinition = "text")
    public String usersAfter;
    @Column(columnDefinition = "text")
    public String unexpectedChanges;
    @Column(columnDefinition = "text")
    public String policyBefore;
    @Column(columnDefinition = "text")
    public String policyAfter;
    public String failureReason;
    public String failureMessage;
    @Column(columnDefinition = "text")
    public String missingPermissions;
    public Instant appliedAt;
    public Instant rolledBackAt;
    public Instant confirmedAt;
    public Instant updatedAt;
    @Version
    public long version;

    public Status state() {
        return Status.valueOf(status);
    }

    public boolean is(Status s) {
        return s.name().equals(status);
    }
}
