package io.mfagov.notifier.rest;

import io.mfagov.support.auth.CurrentActor;

import io.mfagov.notifier.api.ApiRecords.DestinationCreated;
import io.mfagov.notifier.api.ApiRecords.DestinationInput;
import io.mfagov.notifier.api.ApiRecords.DestinationView;
import io.mfagov.notifier.api.ApiRecords.TestResult;
import io.mfagov.notifier.service.DestinationService;
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

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Where alerts go: MSP defaults (no tenantId) and per-tenant overrides. Admins change them; readers see them. */
@Path("/api/v1/destinations")
@Produces(MediaType.APPLICATION_JSON)
public class DestinationResource {

    private final DestinationService destinations;
    private final CurrentActor actor;

    public DestinationResource(DestinationService destinations, CurrentActor actor) {
        this.destinations = destinations;
        this.actor = actor;
    }

    @GET
    @RolesAllowed("reader")
    public List<DestinationView> list(@QueryParam("tenantId") String tenantId) {
        return destinations.list(tenantId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public Response create(DestinationInput input) {
        DestinationCreated created = destinations.create(input, actor.name());
        return Response.created(URI.create("/api/v1/destinations/" + created.destination().id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed("reader")
    public DestinationView get(@PathParam("id") String id) {
        return destinations.get(Params.requiredUuid("id", id));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{id}")
    @RolesAllowed("admin")
    public DestinationView replace(@PathParam("id") String id, DestinationInput input) {
        return destinations.replace(Params.requiredUuid("id", id), input, actor.name());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("id") String id) {
        destinations.delete(Params.requiredUuid("id", id));
        return Response.noContent().build();
    }

    /** Sends a test card (Teams) or a signed test payload (webhook) now and says how it went. */
    @POST
    @Path("{id}/test")
    @RolesAllowed("admin")
    public TestResult test(@PathParam("id") String id) {
        return destinations.sendTest(Params.requiredUuid("id", id), Duration.ofSeconds(15));
    }
}
