package io.mfagov.register.rest;

import io.mfagov.register.api.AuditEventView;
import io.mfagov.register.api.RemediationView;
import io.mfagov.register.entity.Remediation;
import io.mfagov.register.service.Remediations;
import io.mfagov.support.auth.CurrentActor;
import io.mfagov.support.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Removals of exclusions from tenants (issue 15): listed per tenant, shown with their dry run and history, approved
 * (not by who asked), rejected, rolled back. A tenant's list is {@code GET /api/v1/tenants/{id}/remediations}
 * (TenantResource); retiring an exception (which plans them) is {@code POST /api/v1/exceptions/{id}/retire}.
 */
@Path("/api/v1/remediations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Remediations", description = "Removing expired or retired exclusions from tenants, with approval and rollback")
public class RemediationResource {

    private final Remediations remediations;
    private final CurrentActor actor;

    public RemediationResource(Remediations remediations, CurrentActor actor) {
        this.remediations = remediations;
        this.actor = actor;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "One remediation: its plan (patchBody = the dry run), before/after, conflicts and history")
    public RemediationView get(@PathParam("id") String id) {
        Remediation r = remediations.get(id);
        return RemediationView.of(r, remediations.history(r.id).stream().map(AuditEventView::of).toList());
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Approve a planned removal or rollback (not by whoever asked for it): the scanner writes it")
    public RemediationView approve(@PathParam("id") String id, RemediationView.Approval input) {
        return RemediationView.of(remediations.approve(id, input == null ? null : input.notes(), actor.name()), null);
    }

    @POST
    @Path("/{id}/reject")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Reject a planned removal or rollback, with the reason")
    public RemediationView reject(@PathParam("id") String id, RemediationView.Decision input) {
        return RemediationView.of(remediations.reject(id, input == null ? null : input.reason(), actor.name()), null);
    }

    @POST
    @Path("/{id}/rollback")
    @RolesAllowed(Roles.REQUESTER)
    @Operation(summary = "Ask for the rollback of an applied removal; another approver approves it")
    public RemediationView rollback(@PathParam("id") String id, RemediationView.Decision input) {
        return RemediationView.of(remediations.rollback(id, input == null ? null : input.reason(), actor.name()), null);
    }
}
