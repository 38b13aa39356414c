package io.mfagov.notifier.rest;

import io.mfagov.notifier.repository.DeliveryStatus;
import io.mfagov.notifier.api.ApiRecords.DeliveryView;
import io.mfagov.notifier.api.ApiRecords.Page;
import io.mfagov.notifier.api.ApiRecords.RetryResult;
import io.mfagov.notifier.delivery.DeliveryService;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.Check;
import jakarta.annotation.security.RolesAllowed;
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

import java.util.List;

/** Deliveries (one per alert and destination) and dead letters. */
@Tag(name = "Deliveries", description = "One delivery per alert and destination; dead letters and their re-drive")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryService deliveries;

    public DeliveryResource(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @GET
    @Path("deliveries")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "List deliveries (one per alert and destination)")
    public Page<DeliveryView> list(@QueryParam("status") String status, @QueryParam("tenantId") String tenantId,
            @QueryParam("destinationId") String destinationId, @QueryParam("alertId") String alertId,
            @QueryParam("limit") Integer limit) {
        List<DeliveryView> items = deliveries.list(Check.oneOf("status", status, DeliveryStatus.class),
                tenant(tenantId), Check.optionalUuid("destinationId", destinationId), blankToNull(alertId), Check.range("limit", limit, 1, 1000, 100));
        return new Page<>(items, items.size());
    }

    @GET
    @Path("deliveries/{id}")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "One delivery")
    public DeliveryView get(@PathParam("id") String id) {
        return deliveries.get(Check.uuid("id", id));
    }

    @GET
    @Path("dead-letters")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "List dead letters: deliveries that used up their retry budget or were refused")
    public Page<DeliveryView> deadLetters(@QueryParam("tenantId") String tenantId,
            @QueryParam("destinationId") String destinationId, @QueryParam("limit") Integer limit) {
        List<DeliveryView> items = deliveries.list(DeliveryStatus.DEAD, tenant(tenantId),
                Check.optionalUuid("destinationId", destinationId), null, Check.range("limit", limit, 1, 1000, 100));
        return new Page<>(items, items.size());
    }

    /** Re-drives one dead letter: due now, with a fresh retry budget. 409 unless it is DEAD. */
    @POST
    @Path("dead-letters/{id}/retry")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Re-drive one dead letter now, with a fresh retry budget (409 unless DEAD)")
    public Response retry(@PathParam("id") String id) {
        return Response.accepted(deliveries.retry(Check.uuid("id", id))).build();
    }

    /** Re-drives every dead letter, or those of one destination. */
    @POST
    @Path("dead-letters/retry")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Re-drive every dead letter, or those of one destination")
    public Response retryAll(@QueryParam("destinationId") String destinationId) {
        return Response.accepted(new RetryResult(deliveries.retryAll(Check.optionalUuid("destinationId", destinationId)))).build();
    }

    private static String tenant(String tenantId) {
        return Check.optionalGuid("tenantId", tenantId);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
