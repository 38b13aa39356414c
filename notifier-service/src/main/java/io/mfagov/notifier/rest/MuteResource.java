package io.mfagov.notifier.rest;

import io.mfagov.support.auth.CurrentActor;

import io.mfagov.notifier.api.ApiRecords.MuteInput;
import io.mfagov.notifier.api.ApiRecords.MuteView;
import io.mfagov.notifier.service.MuteService;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.Check;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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

/** Snoozes: a tenant, an exclusion or an alert kind until a date. */
@Tag(name = "Mutes", description = "Snoozes: alerts of a tenant, an exclusion or a kind are not delivered until a time")
@Path("/api/v1/mutes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MuteResource {

    private final MuteService mutes;
    private final CurrentActor actor;

    public MuteResource(MuteService mutes, CurrentActor actor) {
        this.mutes = mutes;
        this.actor = actor;
    }

    @GET
    @RolesAllowed(Roles.READER)
    @Operation(summary = "List mutes (active ones by default)")
    public List<MuteView> list(@QueryParam("active") @DefaultValue("true") String active) {
        if (!"true".equalsIgnoreCase(active) && !"false".equalsIgnoreCase(active)) {
            throw io.mfagov.support.problem.ProblemException.invalid("active", "active must be true or false");
        }
        return mutes.list(Boolean.parseBoolean(active));
    }

    @POST
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Create a mute")
    public Response create(MuteInput input) {
        MuteView created = mutes.create(input, actor.name());
        return Response.created(URI.create("/api/v1/mutes/" + created.id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "One mute")
    public MuteView get(@PathParam("id") String id) {
        return mutes.get(Check.uuid("id", id));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Delete a mute (alerts flow again)")
    public Response delete(@PathParam("id") String id) {
        mutes.delete(Check.uuid("id", id));
        return Response.noContent().build();
    }
}
