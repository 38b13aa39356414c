package io.mfagov.notifier.rest;

import io.mfagov.notifier.repository.DeliveryStatus;
import io.mfagov.notifier.api.ApiRecords.DeliveryView;
import io.mfagov.notifier.api.ApiRecords.Page;
import io.mfagov.notifier.api.ApiRecords.RetryResult;
import io.mfagov.notifier.delivery.DeliveryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Deliveries (one per alert and destination) and dead letters. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryService deliveries;

    public DeliveryResource(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @GET
    @Path("deliveries")
    @RolesAllowed("reader")
    public Page<DeliveryView> list(@QueryParam("status") String status, @QueryParam("tenantId") String tenantId,
            @QueryParam("destinationId") String destinationId, @QueryParam("alertId") String alertId,
            @QueryParam("limit") Integer limit) {
        List<DeliveryView> items = deliveries.list(Params.oneOf("status", status, DeliveryStatus.class),
                tenant(tenantId), Params.uuid("destinationId", destinationId), blankToNull(alertId), Params.limit(limit));
        return new Page<>(items, items.size());
    }

    @GET
    @Path("deliveries/{id}")
    @RolesAllowed("reader")
    public DeliveryView get(@PathParam("id") String id) {
        return deliveries.get(Params.requiredUuid("id", id));
    }

    @GET
    @Path("dead-letters")
    @RolesAllowed("reader")
    public Page<DeliveryView> deadLetters(@QueryParam("tenantId") String tenantId,
            @QueryParam("destinationId") String destinationId, @QueryParam("limit") Integer limit) {
        List<DeliveryView> items = deliveries.list(DeliveryStatus.DEAD, tenant(tenantId),
                Params.uuid("destinationId", destinationId), null, Params.limit(limit));
        return new Page<>(items, items.size());
    }

    /** Re-drives one dead letter: due now, with a fresh retry budget. 409 unless it is DEAD. */
    @POST
    @Path("dead-letters/{id}/retry")
    @RolesAllowed("approver")
    public Response retry(@PathParam("id") String id) {
        return Response.accepted(deliveries.retry(Params.requiredUuid("id", id))).build();
    }

    /** Re-drives every dead letter, or those of one destination. */
    @POST
    @Path("dead-letters/retry")
    @RolesAllowed("approver")
    public Response retryAll(@QueryParam("destinationId") String destinationId) {
        return Response.accepted(new RetryResult(deliveries.retryAll(Params.uuid("destinationId", destinationId)))).build();
    }

    private static String tenant(String tenantId) {
        return io.mfagov.notifier.service.DestinationService.tenantOrNull(tenantId);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
