package io.mfagov.notifier.rest;

import io.mfagov.support.auth.CurrentActor;

import io.mfagov.notifier.api.ApiRecords.MuteInput;
import io.mfagov.notifier.api.ApiRecords.MuteView;
import io.mfagov.notifier.service.MuteService;
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

import java.net.URI;
import java.util.List;

/** Snoozes: a tenant, an exclusion or an alert kind until a date. */
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
    @RolesAllowed("reader")
    public List<MuteView> list(@QueryParam("active") @DefaultValue("true") String active) {
        if (!"true".equalsIgnoreCase(active) && !"false".equalsIgnoreCase(active)) {
            throw io.mfagov.support.problem.ProblemException.invalid("active", "active must be true or false");
        }
        return mutes.list(Boolean.parseBoolean(active));
    }

    @POST
    @RolesAllowed("approver")
    public Response create(MuteInput input) {
        MuteView created = mutes.create(input, actor.name());
        return Response.created(URI.create("/api/v1/mutes/" + created.id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed("reader")
    public MuteView get(@PathParam("id") String id) {
        return mutes.get(Params.requiredUuid("id", id));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed("approver")
    public Response delete(@PathParam("id") String id) {
        mutes.delete(Params.requiredUuid("id", id));
        return Response.noContent().build();
    }
}
