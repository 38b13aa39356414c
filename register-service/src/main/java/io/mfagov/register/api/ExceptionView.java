package io.mfagov.register.api;

import io.mfagov.register.entity.ExceptionRecord;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record ExceptionView(UUID id, String tenantId, List<PrincipalView> principals, String policyId, String category,
        String justification, String ticketRef, String status, boolean orphaned, String requestedBy, Instant requestedAt,
        String approvedBy, Instant approvedAt, String decidedBy, Instant decidedAt, String decisionReason,
        Instant expiresAt, Instant nextReviewAt, String lastReviewedBy, Instant lastReviewedAt, String reviewerNotes,
        UUID renewalOf, List<AuditEventView> history,
        @Schema(description = "Whether the principals it excludes are used (their sign-ins across the register's scans)")
        UsageView.OfException usage) {

    public record PrincipalView(String id, String type, String displayName) {
    }

    public static ExceptionView of(ExceptionRecord x, List<AuditEventView> history) {
        return of(x, history, null);
    }

    public static ExceptionView of(ExceptionRecord x, List<AuditEventView> history, UsageView.OfException usage) {
        return new ExceptionView(x.id, x.tenantId,
                x.principals.stream().map(p -> new PrincipalView(p.principalId, p.principalType, p.displayName)).toList(),
                x.policyId, x.category, x.justification, x.ticketRef, x.status, x.orphaned, x.requestedBy,
                x.requestedAt, x.approvedBy, x.approvedAt, x.decidedBy, x.decidedAt, x.decisionReason, x.expiresAt,
                x.nextReviewAt, x.lastReviewedBy, x.lastReviewedAt, x.reviewerNotes, x.renewalOf, history, usage);
    }
}
