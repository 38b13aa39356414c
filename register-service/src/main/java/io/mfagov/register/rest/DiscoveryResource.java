package io.mfagov.register.rest;

import io.mfagov.register.api.DiscoveryRunView;
import io.mfagov.register.service.Discoveries;
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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Discovery of the partner tenant's customers (issue 16): run it on demand, see its runs. */
@Path("/api/v1/discovery")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Discovery", description = "The customers of the MSP's partner tenant (contracts, GDAP relationships)")
public class DiscoveryResource {

    private final Discoveries discoveries;
    private final CurrentActor actor;

    public DiscoveryResource(Discoveries discoveries, CurrentActor actor) {
        this.discoveries = discoveries;
        this.actor = actor;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Discover the partner tenant's customers now: 202 {requestId}; DiscoveryRequested is published"
            + " through the outbox and the scanner's answers register new customers (disabled unless"
            + " register.discovery.enable-new-tenants) and update the known ones; 409 when"
            + " register.discovery.partner-tenant-id is not set")
    public Response discover() {
        UUID requestId = discoveries.request(actor.name(), Instant.now());
        return Response.accepted(Map.of("requestId", requestId.toString())).build();
    }

    @GET
    @Path("/runs")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "Discovery runs, latest first (limit, default 50, at most 500)")
    public List<DiscoveryRunView> runs(@QueryParam("limit") String limit) {
        return discoveries.runs(Params.limit(limit, 50, 500));
    }

    @GET
    @Path("/runs/{requestId}")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "One discovery run by its request id (or the scanner's discovery id)")
    public DiscoveryRunView run(@PathParam("requestId") String requestId) {
        return discoveries.run(requestId);
    }
}
