package io.mfagov.keys.rest;

import io.mfagov.keys.api.ApiKeyInput;
import io.mfagov.keys.api.ApiKeyView;
import io.mfagov.keys.api.CreatedApiKey;
import io.mfagov.keys.service.ApiKeyService;
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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/**
 * {@code /api/v1/api-keys}, the same in every service that keeps keys: list (200), create (201 with the key, once,
 * {@code Location} and {@code Cache-Control: no-store}; 400 bad name or roles, 409 name taken), revoke with
 * {@code POST /{id}/revoke} (200; 404 unknown, 409 already revoked). Admins only.
 */
@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "API keys", description = "Keys for PSA integrations and automation; send as the X-API-Key header")
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final CurrentActor actor;

    public ApiKeyResource(ApiKeyService keys, CurrentActor actor) {
        this.keys = keys;
        this.actor = actor;
    }

    @GET
    @Operation(summary = "List API keys, revoked ones too (never the keys themselves)")
    public List<ApiKeyView> list() {
        return keys.list();
    }

    @POST
    @Operation(summary = "Create an API key; the key is in this response only")
    public Response create(ApiKeyInput input) {
        CreatedApiKey created = keys.create(input, actor.name());
        return Response.created(URI.create("/api/v1/api-keys/" + created.apiKey().id())).entity(created)
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Revoke an API key (kept, for the record; its name is never reused)")
    public ApiKeyView revoke(@PathParam("id") String id) {
        return keys.revoke(id, actor.name());
    }
}
