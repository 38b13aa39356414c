package io.mfagov.register.api;

import io.mfagov.model.events.PrincipalType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Request bodies of the exception workflow. Unknown fields are refused with 400. */
public final class ExceptionInputs {

    private ExceptionInputs() {
    }

    @Schema(name = "PrincipalInput")
    public record PrincipalInput(
            @Schema(description = "Object id (users, groups, service principals), role template id, app id, location id,"
                    + " guest rule name, or for a hole of the policy itself the exclusion's principalId (platform:linux,"
                    + " clientAppType:other, grant:compliantDevice, ...)") String id,
            PrincipalType type,
            String displayName) {
    }

    @Schema(name = "ExceptionRequest", description = "Ask for an MFA exception; an approver other than the requester decides")
    public record Request(
            String tenantId,
            @Schema(description = "Who is excepted; a group or role covers the members reached through it") List<PrincipalInput> principals,
            @Schema(description = "The Conditional Access policy; leave out for every policy of the tenant") String policyId,
            @Schema(description = "BREAK_GLASS, LEGACY_APP, ADMIN_MIGRATION, EXTERNAL_GUEST, OTHER (or configured)") String category,
            @Schema(maxLength = 4000) String justification,
            @Schema(description = "Within the category's maximum duration") Instant expiresAt,
            @Schema(description = "PSA ticket reference; required by some categories", maxLength = 128) String ticketRef) {
    }

    @Schema(name = "ApprovalInput")
    public record Approval(@Schema(maxLength = 4000) String notes) {
    }

    @Schema(name = "DecisionInput", description = "Reject or revoke, with the reason")
    public record Decision(@Schema(maxLength = 4000) String reason) {
    }

    @Schema(name = "RenewalInput", description = "Renewal: a new request, approved again")
    public record Renewal(Instant expiresAt, @Schema(maxLength = 4000) String justification,
            @Schema(maxLength = 128) String ticketRef) {
    }

    @Schema(name = "ReviewInput")
    public record Review(@Schema(maxLength = 4000) String notes,
            @Schema(description = "Default: the category's review cadence from now") Instant nextReviewAt) {
    }
}
