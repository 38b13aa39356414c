package io.mfagov.register.rest;

import io.mfagov.register.entity.ApiKey;
import io.mfagov.register.service.ApiKeyService;
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

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "API keys", description = "Keys for PSA integrations; send as the X-API-Key header")
public class ApiKeyResource {

    public record ApiKeyInput(String name, List<String> roles) {
    }

    public record ApiKeyView(UUID id, String name, List<String> roles, String createdBy, Instant createdAt,
            String revokedBy, Instant revokedAt) {
        static ApiKeyView of(ApiKey k) {
            return new ApiKeyView(k.id, k.name, Arrays.asList(k.roles.split(",")), k.createdBy, k.createdAt,
                    k.revokedBy, k.revokedAt);
        }
    }

    /** The only time the key is shown. */
    public record CreatedApiKey(ApiKeyView apiKey, String key) {
    }

    private final ApiKeyService keys;
    private final CurrentActor actor;

    public ApiKeyResource(ApiKeyService keys, CurrentActor actor) {
        this.keys = keys;
        this.actor = actor;
    }

    @GET
    @Operation(summary = "List API keys (never the keys themselves)")
    public List<ApiKeyView> list() {
        return keys.list().stream().map(ApiKeyView::of).toList();
    }

    @POST
    @Operation(summary = "Create an API key; the key is in this response only")
    public Response create(ApiKeyInput input) {
        io.mfagov.support.problem.Check.required("body", input);
        ApiKeyService.Created created = keys.create(input.name(), input.roles(), actor.name());
        return Response.status(201).entity(new CreatedApiKey(ApiKeyView.of(created.record()), created.key()))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Revoke an API key")
    public ApiKeyView revoke(@PathParam("id") String id) {
        return ApiKeyView.of(keys.revoke(id, actor.name()));
    }
}
