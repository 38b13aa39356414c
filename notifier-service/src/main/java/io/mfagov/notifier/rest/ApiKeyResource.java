package io.mfagov.notifier.rest;

import io.mfagov.notifier.api.ApiRecords.ApiKeyCreated;
import io.mfagov.notifier.api.ApiRecords.ApiKeyInput;
import io.mfagov.notifier.api.ApiRecords.ApiKeyView;
import io.mfagov.notifier.service.ApiKeyService;
import io.mfagov.support.auth.CurrentActor;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

/** API keys for PSAs: admins only; the key is in the create answer, once. */
@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final CurrentActor actor;

    public ApiKeyResource(ApiKeyService keys, CurrentActor actor) {
        this.keys = keys;
        this.actor = actor;
    }

    @GET
    public List<ApiKeyView> list() {
        return keys.list();
    }

    @POST
    public Response create(ApiKeyInput input) {
        ApiKeyCreated created = keys.create(input, actor.name());
        return Response.created(URI.create("/api/v1/api-keys/" + created.apiKey().id())).entity(created).build();
    }

    /** Revokes a key (kept, for the record). */
    @DELETE
    @Path("{id}")
    public ApiKeyView revoke(@PathParam("id") String id) {
        return keys.revoke(Params.requiredUuid("id", id), actor.name());
    }
}
