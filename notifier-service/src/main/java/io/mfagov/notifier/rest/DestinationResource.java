package io.mfagov.notifier.rest;

import io.mfagov.support.auth.CurrentActor;

import io.mfagov.notifier.api.ApiRecords.DestinationCreated;
import io.mfagov.notifier.api.ApiRecords.DestinationInput;
import io.mfagov.notifier.api.ApiRecords.DestinationView;
import io.mfagov.notifier.api.ApiRecords.TestResult;
import io.mfagov.notifier.service.DestinationService;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.Check;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Where alerts go: MSP defaults (no tenantId) and per-tenant overrides. Admins change them; readers see them. */
@Tag(name = "Destinations", description = "Where alerts go: Teams workflows and signed webhooks, MSP defaults and per-tenant overrides")
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
    @RolesAllowed(Roles.READER)
    @Operation(summary = "List destinations (URLs shown without secrets)")
    public List<DestinationView> list(@QueryParam("tenantId") String tenantId) {
        return destinations.list(tenantId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a destination; its signing secret is in this response only")
    public Response create(DestinationInput input) {
        DestinationCreated created = destinations.create(input, actor.name());
        return Response.created(URI.create("/api/v1/destinations/" + created.destination().id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "One destination")
    public DestinationView get(@PathParam("id") String id) {
        return destinations.get(Check.uuid("id", id));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace a destination")
    public DestinationView replace(@PathParam("id") String id, DestinationInput input) {
        return destinations.replace(Check.uuid("id", id), input, actor.name());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a destination")
    public Response delete(@PathParam("id") String id) {
        destinations.delete(Check.uuid("id", id));
        return Response.noContent().build();
    }

    /** Sends a test card (Teams) or a signed test payload (webhook) now and says how it went. */
    @POST
    @Path("{id}/test")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Send a test message to a destination now")
    public TestResult test(@PathParam("id") String id) {
        return destinations.sendTest(Check.uuid("id", id), Duration.ofSeconds(15));
    }
}
