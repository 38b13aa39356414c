package io.mfagov.register.rest;

import io.mfagov.register.api.SharedMailboxInput;
import io.mfagov.register.api.SharedMailboxView;
import io.mfagov.register.service.SharedMailboxes;
import io.mfagov.support.auth.CurrentActor;
import io.mfagov.support.auth.Roles;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

@Path("/api/v1/tenants/{tenantId}/shared-mailboxes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants", description = "The tenant catalogue and scan schedule")
public class SharedMailboxResource {

    private final SharedMailboxes mailboxes;
    private final CurrentActor actor;

    public SharedMailboxResource(SharedMailboxes mailboxes, CurrentActor actor) {
        this.mailboxes = mailboxes;
        this.actor = actor;
    }

    @GET
    @RolesAllowed(Roles.READER)
    @Operation(summary = "The tenant's shared, room and resource mailboxes (user ids and UPN patterns): their gaps are"
            + " reported apart and left out of gap counts by default")
    public List<SharedMailboxView> list(@PathParam("tenantId") String tenantId) {
        return mailboxes.list(tenantId).stream().map(SharedMailboxView::of).toList();
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List a shared, room or resource mailbox: a userId or a upnPattern (glob, * and ?,"
            + " case-insensitive, literal domain), with a note; audited; 409 when already listed")
    public Response add(@PathParam("tenantId") String tenantId, SharedMailboxInput input) {
        SharedMailboxView added = SharedMailboxView.of(mailboxes.add(tenantId, input, actor.name()));
        return Response.created(URI.create("/api/v1/tenants/" + added.tenantId() + "/shared-mailboxes/" + added.id()))
                .entity(added).build();
    }

    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Take an entry off the list; audited")
    public Response remove(@PathParam("tenantId") String tenantId, @PathParam("id") String id) {
        mailboxes.remove(tenantId, id, actor.name());
        return Response.noContent().build();
    }
}
