package io.mfagov.register.rest;

import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.api.AuditEventView;
import io.mfagov.register.api.ExceptionInputs;
import io.mfagov.register.api.ExceptionView;
import io.mfagov.register.api.UsageView;
import io.mfagov.register.api.RemediationView;
import io.mfagov.register.service.Remediations;
import io.mfagov.register.service.ExceptionService;
import io.mfagov.register.service.ExclusionUsage;
import io.mfagov.support.auth.CurrentActor;
import io.mfagov.support.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The exception workflow: each transition is its own POST. */
@Path("/api/v1/exceptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Exceptions", description = "Documented, approved MFA exceptions and their workflow")
public class ExceptionResource {

    private final ExceptionService exceptions;
    private final CurrentActor actor;
    private final ExclusionUsage usage;
    private final Remediations remediations;

    public ExceptionResource(ExceptionService exceptions, CurrentActor actor, ExclusionUsage usage,
            Remediations remediations) {
        this.remediations = remediations;
        this.exceptions = exceptions;
        this.actor = actor;
        this.usage = usage;
    }

    /** Views of exceptions with their usage. */
    private List<ExceptionView> withUsage(List<ExceptionRecord> xs) {
        Map<UUID, UsageView.OfException> usages = usage.ofExceptions(xs);
        return xs.stream().map(x -> ExceptionView.of(x, null, usages.get(x.id))).toList();
    }

    @GET
    @RolesAllowed(Roles.READER)
    @Operation(summary = "List exceptions")
    public List<ExceptionView> list(@QueryParam("tenantId") String tenantId, @QueryParam("status") String status,
            @QueryParam("category") String category, @QueryParam("principalId") String principalId,
            @QueryParam("limit") String limit) {
        return withUsage(exceptions.list(tenantId, status, category, principalId, false, Params.limit(limit, 100, 1000)));
    }

    @GET
    @Path("/reviews-due")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "Approved exceptions whose review date has passed")
    public List<ExceptionView> reviewsDue(@QueryParam("tenantId") String tenantId, @QueryParam("limit") String limit) {
        return withUsage(exceptions.list(tenantId, null, null, null, true, Params.limit(limit, 100, 1000)));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "One exception with its history")
    public ExceptionView get(@PathParam("id") String id) {
        ExceptionRecord x = exceptions.get(id);
        return ExceptionView.of(x, exceptions.history(x.id).stream().map(AuditEventView::of).toList(),
                usage.ofExceptions(List.of(x)).get(x.id));
    }

    @POST
    @RolesAllowed(Roles.REQUESTER)
    @Operation(summary = "Request an exception")
    public Response request(ExceptionInputs.Request input) {
        ExceptionRecord x = exceptions.request(input, actor);
        return Response.created(URI.create("/api/v1/exceptions/" + x.id)).entity(ExceptionView.of(x, null)).build();
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Approve a requested exception (not by its requester; some categories need an admin)")
    public ExceptionView approve(@PathParam("id") String id, ExceptionInputs.Approval input) {
        return ExceptionView.of(exceptions.approve(id, input, actor), null);
    }

    @POST
    @Path("/{id}/reject")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Reject a requested exception, with the reason")
    public ExceptionView reject(@PathParam("id") String id, ExceptionInputs.Decision input) {
        return ExceptionView.of(exceptions.reject(id, input, actor), null);
    }

    @POST
    @Path("/{id}/renew")
    @RolesAllowed(Roles.REQUESTER)
    @Operation(summary = "Request a renewal: a new request for the same principals, approved again")
    public Response renew(@PathParam("id") String id, ExceptionInputs.Renewal input) {
        ExceptionRecord x = exceptions.renew(id, input, actor);
        return Response.created(URI.create("/api/v1/exceptions/" + x.id)).entity(ExceptionView.of(x, null)).build();
    }

    @POST
    @Path("/{id}/revoke")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Revoke an exception, with the reason")
    public ExceptionView revoke(@PathParam("id") String id, ExceptionInputs.Decision input) {
        return ExceptionView.of(exceptions.revoke(id, input, actor), null);
    }

    @POST
    @Path("/{id}/retire")
    @RolesAllowed(Roles.REQUESTER)
    @Operation(summary = "Retire an exception: plan the removal of each of its present exclusions from the tenant"
            + " (dry run first; each applied only once another approver approves it)")
    public Response retire(@PathParam("id") String id) {
        List<RemediationView> planned = remediations.retire(id, actor.name()).stream()
                .map(r -> RemediationView.of(r, null)).toList();
        return Response.accepted(planned).build();
    }

    @POST
    @Path("/{id}/review")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Record a review: reviewer, date, notes; sets the next review date")
    public ExceptionView review(@PathParam("id") String id, ExceptionInputs.Review input) {
        return ExceptionView.of(exceptions.review(id, input, actor), null);
    }
}
