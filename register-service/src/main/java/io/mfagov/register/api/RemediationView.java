package io.mfagov.register.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.model.EventCodec;
import io.mfagov.register.entity.JsonColumns;
import io.mfagov.register.entity.Remediation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A remediation: the removal of one exclusion from its tenant. {@code plan} is the scanner's dry run
 * ({@code RemediationPlan}: kind, {@code patchBody} — the exact PATCH body —, steps, why, usersBefore); {@code before}
 * and {@code after} the list as read before and after the last write; {@code history} (one remediation only) its audit
 * rows.
 */
@Schema(name = "Remediation")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemediationView(UUID id, String tenantId, UUID exclusionId, String exclusionKey, UUID exceptionId,
        String policyId, String policyName, String principalType, String principalId, String principalName,
        String viaKind, String viaPath, String reason,
        @Schema(description = "PLANNING, PLANNED, MANUAL, APPLYING, APPLIED, CONFIRMED, FAILED, REJECTED, NOT_NEEDED,"
                + " ROLLBACK_PLANNED, ROLLING_BACK, ROLLED_BACK") String status,
        String planKind, JsonNode plan, UUID pendingRequestId, String requestedBy, Instant requestedAt,
        String approvedBy, Instant approvedAt, String rollbackRequestedBy, Instant rollbackRequestedAt,
        String rollbackApprovedBy, Instant rollbackApprovedAt, String listName, List<String> before,
        List<String> after, String modifiedBefore, String modifiedAfter, List<String> unexpectedChanges,
        boolean conflict, JsonNode policyBefore, JsonNode policyAfter, String failureReason, String failureMessage,
        List<String> missingPermissions, Instant appliedAt, Instant rolledBackAt, Instant confirmedAt,
        Instant updatedAt, List<AuditEventView> history) {

    public static RemediationView of(Remediation r, List<AuditEventView> history) {
        List<String> unexpected = JsonColumns.strings(r.unexpectedChanges);
        return new RemediationView(r.id, r.tenantId, r.exclusionId, r.exclusionKey, r.exceptionId, r.policyId,
                r.policyName, r.principalType, r.principalId, r.principalName, r.viaKind, r.viaPath, r.reason,
                r.status, r.planKind, node(r.plan), r.pendingRequestId, r.requestedBy, r.requestedAt, r.approvedBy,
                r.approvedAt, r.rollbackRequestedBy, r.rollbackRequestedAt, r.rollbackApprovedBy, r.rollbackApprovedAt,
                r.listName, r.beforeIds == null ? null : JsonColumns.strings(r.beforeIds),
                r.afterIds == null ? null : JsonColumns.strings(r.afterIds), r.modifiedBefore, r.modifiedAfter,
                unexpected, !unexpected.isEmpty(), history == null ? null : node(r.policyBefore),
                history == null ? null : node(r.policyAfter), r.failureReason, r.failureMessage,
                JsonColumns.strings(r.missingPermissions), r.appliedAt, r.rolledBackAt, r.confirmedAt, r.updatedAt,
                history);
    }

    private static JsonNode node(String json) {
        if (json == null) {
            return null;
        }
        try {
            return EventCodec.get().mapper().readTree(json);
        } catch (Exception e) {
            return null;
        }
    }

    /** Approving: optional notes. */
    @Schema(name = "RemediationApproval")
    public record Approval(@Schema(maxLength = 4000) String notes) {
    }

    /** Rejecting (reason required) or asking for a rollback (reason optional). */
    @Schema(name = "RemediationDecision")
    public record Decision(@Schema(maxLength = 4000) String reason) {
    }
}
