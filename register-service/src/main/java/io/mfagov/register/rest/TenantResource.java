package io.mfagov.register.rest;

import io.mfagov.model.events.ScanReason;
import io.mfagov.register.api.CoverageView;
import io.mfagov.register.api.GapView;
import io.mfagov.register.api.TenantInput;
import io.mfagov.register.api.TenantView;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.register.service.GapQueries;
import io.mfagov.register.service.OnboardingRules;
import io.mfagov.support.problem.Check;
import io.mfagov.register.service.MfaCoverageQueries;
import io.mfagov.register.service.TenantService;
import io.mfagov.support.auth.CurrentActor;
import io.mfagov.support.auth.Roles;
import io.mfagov.register.api.RemediationView;
import io.mfagov.register.service.Remediations;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants", description = "The tenant catalogue and scan schedule")
public class TenantResource {

    private final TenantService tenants;
    private final CurrentActor actor;
    private final MfaCoverageQueries coverage;
    private final GapQueries gaps;
    private final Remediations remediations;

    public TenantResource(TenantService tenants, CurrentActor actor, MfaCoverageQueries coverage,
            GapQueries gaps, Remediations remediations) {
        this.remediations = remediations;
        this.gaps = gaps;
        this.tenants = tenants;
        this.actor = actor;
        this.coverage = coverage;
    }

    @GET
    @RolesAllowed(Roles.READER)
    @Operation(summary = "List tenants, optionally by access status (AccessStatus, or NONE: never checked), discovered"
            + " (registered by discovery or scan results, not yet adopted by an admin) and relationship status (ACTIVE,"
            + " EXPIRING, ENDED, PENDING, NONE)")
    public List<TenantView> list(@QueryParam("accessStatus") String accessStatus,
            @QueryParam("discovered") String discovered, @QueryParam("relationshipStatus") String relationshipStatus) {
        return tenants.list(accessFilter(accessStatus), Params.optionalBool("discovered", discovered),
                relationshipFilter(relationshipStatus)).stream().map(TenantView::of).toList();
    }

    /** An access status filter: an AccessStatus name or NONE (never checked); 400 naming the field otherwise. */
    static String accessFilter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if ("NONE".equalsIgnoreCase(value.trim())) {
            return "NONE";
        }
        return Check.oneOf("accessStatus", value, AccessStatus.class).name();
    }

    static String relationshipFilter(String value) {
        OnboardingRules.RelationshipStatus status = Check.oneOf("relationshipStatus", value,
                OnboardingRules.RelationshipStatus.class);
        return status == null ? null : status.name();
    }

    @GET
    @Path("/{tenantId}")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "One tenant")
    public TenantView get(@PathParam("tenantId") String tenantId) {
        return TenantView.of(tenants.get(tenantId));
    }

    @GET
    @Path("/{tenantId}/remediations")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "A tenant's remediations (removals of exclusions), newest first, optionally of one status")
    public List<RemediationView> remediations(@PathParam("tenantId") String tenantId,
            @QueryParam("status") String status, @QueryParam("limit") String limit) {
        return remediations.list(tenantId, status, Params.limit(limit, 100, 1000)).stream()
                .map(r -> RemediationView.of(r, null)).toList();
    }

    @GET
    @Path("/{tenantId}/gaps")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    @Operation(summary = "The MFA gaps (NOT_REGISTERED, NOT_CAPABLE, SINGLE_FACTOR_SIGNINS, PER_USER_MFA_ONLY) of the"
            + " tenant's latest scan that sent gap signals, privileged users first, with counts by kind; gaps of listed"
            + " shared mailboxes apart (sharedMailboxGaps) unless includeSharedMailboxes=true; 404 when no scan sent any")
    public GapView.TenantGaps gaps(@PathParam("tenantId") String tenantId,
            @Parameter(description = "Only gaps of this kind") @QueryParam("kind") String kind,
            @Parameter(description = "true: gaps of listed shared mailboxes in items and counts too (marked)")
            @QueryParam("includeSharedMailboxes") String includeSharedMailboxes) {
        return gaps.latest(tenantId, kind, Params.bool("includeSharedMailboxes", includeSharedMailboxes));
    }

    @GET
    @Path("/{tenantId}/coverage")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "The tenant's effective MFA coverage from its latest scan that sent one, with the scan's status,"
            + " Graph request count and notes, and the uncovered users (privileged first); 404 when no scan sent any")
    public CoverageView coverage(@PathParam("tenantId") String tenantId) {
        return coverage.latest(tenantId);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Add a tenant")
    public Response create(TenantInput input) {
        TenantView created = TenantView.of(tenants.create(input, actor.name()));
        return Response.created(URI.create("/api/v1/tenants/" + created.tenantId())).entity(created).build();
    }

    @PUT
    @Path("/{tenantId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace a tenant's settings")
    public TenantView update(@PathParam("tenantId") String tenantId, TenantInput input) {
        return TenantView.of(tenants.update(tenantId, input, actor.name()));
    }

    @DELETE
    @Path("/{tenantId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Remove a tenant from the catalogue (its exclusions, exceptions and audit trail stay)")
    public Response delete(@PathParam("tenantId") String tenantId) {
        tenants.delete(tenantId, actor.name());
        return Response.noContent().build();
    }

    @POST
    @Path("/{tenantId}/scans")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.REQUESTER)
    @Operation(summary = "Request a scan now (published through the outbox)")
    public Response requestScan(@PathParam("tenantId") String tenantId) {
        UUID requestId = tenants.requestScan(tenantId, actor.name(), actor.isApiKey() ? ScanReason.API : ScanReason.MANUAL);
        return Response.accepted(Map.of("requestId", requestId.toString())).build();
    }
}
