package io.mfagov.register.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An MFA exception: the governance record that approves exclusions of some principals for one or all policies. */
@Entity
@Table(name = "exception_record")
public class ExceptionRecord {

    public enum Status { REQUESTED, APPROVED, REJECTED, REVOKED, EXPIRED, SUPERSEDED }

    @Id
    public UUID id;
    public String tenantId;
    /** Null: covers every policy of the tenant. */
    public String policyId;
    public String category;
    public String justification;
    public String ticketRef;
    public String status;
    public boolean orphaned;
    public String requestedBy;
    public Instant requestedAt;
    public String approvedBy;
    public Instant approvedAt;
    public String decidedBy;
    public Instant decidedAt;
    public String decisionReason;
    public Instant expiresAt;
    public Instant nextReviewAt;
    public String lastReviewedBy;
    public Instant lastReviewedAt;
    public String reviewerNotes;
    public UUID renewalOf;
    @Version
    public long version;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "exception_principal", joinColumns = @JoinColumn(name = "exception_id"))
    public List<ExceptionPrincipal> principals = new ArrayList<>();

    public Status state() {
        return Status.valueOf(status);
    }

    public boolean is(Status s) {
        return s.name().equals(status);
    }
}
